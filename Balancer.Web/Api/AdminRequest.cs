namespace Balancer.Web.Api;

/// <summary>The body of /add and /rm, <c>{"n": 2, "hostnames": ["S5"]}</c>, once <see cref="AdminRequestParser"/> accepted it.</summary>
internal sealed record AdminRequest(int Count, IReadOnlyList<string> Hostnames);
