namespace Balancer.Tests.Supervision.Chaos;

/// <summary>
/// Clears the thread's synchronization context until disposed. The deterministic actor tests run every
/// actor on the calling thread; under xunit's context each PipeTo continuation (an await captures the
/// context) would hop to another thread, and a run would depend on timing.
/// </summary>
internal sealed class NoSynchronizationContext : IDisposable
{
    private readonly SynchronizationContext? previous = SynchronizationContext.Current;

    public NoSynchronizationContext() => SynchronizationContext.SetSynchronizationContext(null);

    public void Dispose() => SynchronizationContext.SetSynchronizationContext(previous);
}
