namespace Experiments.Live.Balancers;

/// <summary>Finds the Release build of Balancer.Web (built by <c>make experiments</c>) from the repository root.</summary>
internal static class BalancerBinary
{
    public const string Override = "BALANCER_WEB_BINARY";

    public static string Locate()
    {
        if (Environment.GetEnvironmentVariable(Override) is { Length: > 0 } path)
        {
            return path;
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "LoadBalancer.slnx")))
            {
                var binary = Path.Combine(directory.FullName, "Balancer.Web", "bin", "Release", "net10.0", "Balancer.Web");
                return File.Exists(binary)
                    ? binary
                    : throw new FileNotFoundException($"build it first: dotnet build Balancer.Web -c Release ({binary})");
            }
        }

        throw new FileNotFoundException($"LoadBalancer.slnx not found above {AppContext.BaseDirectory}; set {Override}");
    }
}
