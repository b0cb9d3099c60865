namespace Balancer.Web.Forwarding.Upstream;

/// <summary>How the end of a response's body is found (RFC 9112, section 6.3).</summary>
internal enum BodyFraming
{
    /// <summary>No body: a 204, a 304, or a 1xx.</summary>
    None,

    /// <summary>Exactly Content-Length bytes.</summary>
    ContentLength,

    /// <summary>Transfer-Encoding: chunked.</summary>
    Chunked,

    /// <summary>Neither: the body ends when the replica closes the connection, which then cannot be reused.</summary>
    UntilClose,
}
