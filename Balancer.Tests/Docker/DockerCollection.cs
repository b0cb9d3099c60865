namespace Balancer.Tests.Docker;

/// <summary>The Docker tests share one engine: they run one at a time, never beside other tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DockerCollection
{
    public const string Name = "Docker engine";
}
