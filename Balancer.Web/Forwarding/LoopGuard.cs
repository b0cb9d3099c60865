namespace Balancer.Web.Forwarding;

/// <summary>
/// Every request the balancer forwards carries a mark; one that arrives with it was forwarded by a balancer
/// already, so a "replica" that is a balancer (a name that resolved to it, a misconfigured address) costs
/// one refused request instead of a chain of nested connections until the attempt timeout.
/// </summary>
internal static class LoopGuard
{
    public const string Header = "X-Balancer-Forwarded";

    public const string Mark = "1";

    public static bool CameBack(HttpRequest request) => request.Headers.ContainsKey(Header);
}
