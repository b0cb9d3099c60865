namespace Balancer.Web.Forwarding.Upstream;

/// <summary>A replica's answer is not HTTP/1.1 the forwarder can pass on (or its head is too large).</summary>
internal sealed class UpstreamProtocolException(string message) : Exception(message);
