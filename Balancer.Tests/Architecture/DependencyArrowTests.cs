using System.Reflection;
using Balancer.Actors.Routing;
using NetArchTest.Rules;

namespace Balancer.Tests.Architecture;

/// <summary>
/// The arrows of the layout (web -> actors -> routing / runtime; routing knows no actors, Docker or
/// HTTP; the replica and the experiments stay outside the balancer). Each rule also checks that it
/// selects types: a rule over nothing passes whatever the code does.
/// </summary>
public sealed class DependencyArrowTests
{
    private const string Akka = "Akka";
    private const string AspNetCore = "Microsoft.AspNetCore";
    private const string DockerDotNet = "Docker.DotNet";
    private const string Yarp = "Yarp";
    private const string Ring = "Balancer.Actors.Ring";
    private const string Routing = "Balancer.Actors.Routing";
    private const string Runtime = "Balancer.Actors.Runtime";
    private const string Supervision = "Balancer.Actors.Supervision";

    private static readonly Assembly Actors = typeof(RoutingOptions).Assembly;
    private static readonly Assembly Experiments = typeof(LoopbackPorts).Assembly;
    private static readonly Assembly ReplicaServer = Assembly.Load("ReplicaServer");

    [Fact]
    public void RoutingUsesNoActorsRuntimesDockerOrAspNetCore() =>
        AssertNone(Types.InAssembly(Actors).That().ResideInNamespace(Routing),
            Akka, Ring, Supervision, Runtime, DockerDotNet, AspNetCore);

    [Fact]
    public void RuntimesUseNoAkkaOrAspNetCore() =>
        AssertNone(Types.InAssembly(Actors).That().ResideInNamespace(Runtime), Akka, AspNetCore);

    [Fact]
    public void NothingInTheActorsAssemblyUsesAspNetCoreOrYarp() =>
        AssertNone(Types.InAssembly(Actors), AspNetCore, Yarp);

    [Fact]
    public void ReplicaServerUsesNothingOfTheBalancer() =>
        AssertNone(Types.InAssembly(ReplicaServer), "Balancer");

    [Fact]
    public void ExperimentsUseNoActorsAndNoRuntimes() =>
        AssertNone(Types.InAssembly(Experiments), Ring, Supervision, Runtime);

    [Fact]
    public void ExperimentsUseThePureRoutingCode()
    {
        // Also shows that a dependency across assemblies is seen at all, so the rule above can fail.
        var users = Types.InAssembly(Experiments).That().HaveDependencyOn(Routing).GetTypes();

        Assert.NotEmpty(users);
    }

    private static void AssertNone(Types types, params string[] forbidden)
    {
        Assert.NotEmpty(types.GetTypes());
        var result = types.ShouldNot().HaveDependencyOnAny(forbidden).GetResult();
        Assert.True(result.IsSuccessful, Failure(forbidden, result.FailingTypeNames));
    }

    private static void AssertNone(PredicateList selection, params string[] forbidden)
    {
        Assert.NotEmpty(selection.GetTypes());
        var result = selection.ShouldNot().HaveDependencyOnAny(forbidden).GetResult();
        Assert.True(result.IsSuccessful, Failure(forbidden, result.FailingTypeNames));
    }

    private static string Failure(string[] forbidden, IEnumerable<string>? failing) =>
        $"these types depend on {string.Join(" or ", forbidden)}: {string.Join(", ", failing ?? [])}";
}
