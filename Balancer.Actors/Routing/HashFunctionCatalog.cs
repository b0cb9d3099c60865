namespace Balancer.Actors.Routing;

/// <summary>The hash pairs configuration can name.</summary>
public static class HashFunctionCatalog
{
    private static readonly IHashFunctions[] All = [SpecHashFunctions.Instance, Mix64HashFunctions.Instance];

    public static IReadOnlyList<string> Names { get; } = All.Select(hashes => hashes.Name).ToArray();

    public static IHashFunctions Get(string name) =>
        All.FirstOrDefault(hashes => string.Equals(hashes.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException(
            $"Unknown hash functions '{name}'; known: {string.Join(", ", Names)}.", nameof(name));
}
