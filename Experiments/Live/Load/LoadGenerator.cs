using System.Diagnostics;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace Experiments.Live.Load;

/// <summary>
/// Sends /home requests as an Akka stream: at most <c>concurrency</c> in flight (SelectAsyncUnordered
/// back-pressures the id source), optionally at a steady rate, and never past a time limit.
/// </summary>
internal sealed class LoadGenerator(ActorSystem system, int concurrency)
{
    /// <summary>A request that takes this long has failed for the purpose of a load test.</summary>
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private readonly IMaterializer materializer = system.Materializer();

    public int Concurrency { get; } = concurrency;

    /// <param name="perSecond">A steady rate for timelines; null sends as fast as the balancer answers.</param>
    /// <param name="onCompleted">Called once per finished request (progress bars).</param>
    /// <param name="onOutcome">Called with each outcome as it comes (runs that react to what they see).</param>
    /// <param name="stop">Ends the run early: no request starts after it is cancelled.</param>
    public async Task<IReadOnlyList<RequestOutcome>> RunAsync(
        BalancerApi api, IReadOnlyList<long> ids, TimeSpan timeLimit, Stopwatch clock, int? perSecond = null, Action? onCompleted = null,
        Action<RequestOutcome>? onOutcome = null, CancellationToken stop = default)
    {
        using var deadline = new CancellationTokenSource(timeLimit + TimeSpan.FromSeconds(15));
        var source = Source.From(ids);
        if (perSecond is { } rate)
        {
            // Ten small bursts a second keep the load even at the 100 ms scale of the timeline.
            source = source.Throttle(Math.Max(1, rate / 10), TimeSpan.FromMilliseconds(100), Math.Max(1, rate / 10), ThrottleMode.Shaping);
        }

        var outcomes = await source
            .TakeWithin(timeLimit)
            .TakeWhile(_ => !stop.IsCancellationRequested)
            .SelectAsyncUnordered(Concurrency, async id =>
            {
                var outcome = await MeasureAsync(api, id, clock, deadline.Token);
                onOutcome?.Invoke(outcome);
                onCompleted?.Invoke();
                return outcome;
            })
            .RunWith(Sink.Seq<RequestOutcome>(), materializer);
        return outcomes;
    }

    /// <summary>
    /// GET /home for one id. Never throws for a failed request: a failure is an outcome with no replica.
    /// Times are measured on <paramref name="clock"/> (the run's start).
    /// </summary>
    private static async Task<RequestOutcome> MeasureAsync(BalancerApi api, long requestId, Stopwatch clock, CancellationToken cancellationToken)
    {
        var startedAt = clock.Elapsed;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        try
        {
            var response = await api.HomeAsync(requestId, timeout.Token);
            var replica = response.Status is >= 200 and < 300 ? response.Replica : null;
            return new RequestOutcome(requestId, startedAt, clock.Elapsed, response.Status, replica);
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException)
        {
            return new RequestOutcome(requestId, startedAt, clock.Elapsed, 0, null);
        }
    }
}
