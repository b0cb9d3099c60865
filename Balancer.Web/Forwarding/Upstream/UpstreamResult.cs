namespace Balancer.Web.Forwarding.Upstream;

/// <summary>How one attempt of the HTTP/1.1 path ended.</summary>
internal enum UpstreamResult
{
    /// <summary>The replica's answer went to the client (a 404 as the spec's 400).</summary>
    Answered,

    /// <summary>A 5xx was held back, nothing reached the client: the request may go to the next replica.</summary>
    ServerErrorHeldBack,

    /// <summary>No connection could be made: nothing of the request was sent.</summary>
    ConnectFailed,

    /// <summary>Reset, closed or garbled before the answer started: nothing reached the client.</summary>
    NoAnswer,

    /// <summary>The attempt's timeout passed before the answer started: nothing reached the client.</summary>
    TimedOut,

    /// <summary>The client went away.</summary>
    ClientCanceled,

    /// <summary>The answer failed after part of it reached the client; the client's connection was aborted.</summary>
    FailedAfterStart,
}
