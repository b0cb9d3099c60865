namespace Balancer.Actors.Routing.Health;

/// <summary>Whether a picker may send a request to a replica.</summary>
internal enum Admission
{
    /// <summary>It routes.</summary>
    Routable,

    /// <summary>It is ejected and this request is its trial: the one request that may readmit it.</summary>
    Trial,

    /// <summary>It is ejected: its ids go to the next replica clockwise.</summary>
    Skip,
}
