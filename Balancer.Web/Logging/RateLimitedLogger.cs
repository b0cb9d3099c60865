using System.Collections.Concurrent;

namespace Balancer.Web.Logging;

/// <summary>
/// A logger for code that logs per request (the forwarder): each message template is written at most
/// <see cref="PerWindow"/> times per <see cref="Window"/>; the rest are counted and summed up in one line
/// when the template is next written, so a failing replica under load yields a few lines a second, not
/// thousands, and still says how many there were.
/// </summary>
internal sealed class RateLimitedLogger<T>(ILoggerFactory factory, TimeProvider clock) : ILogger<T>
{
    public const int PerWindow = 5;
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    private readonly ILogger inner = factory.CreateLogger(typeof(T).FullName!.Replace('+', '.'));
    private readonly ConcurrentDictionary<string, TemplateBudget> budgets = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!inner.IsEnabled(logLevel))
        {
            return;
        }

        var budget = budgets.GetOrAdd(TemplateOf(state, eventId), static _ => new TemplateBudget());
        var suppressed = budget.TryTake(clock.GetTimestamp(), clock);
        if (suppressed < 0)
        {
            return;
        }

        if (suppressed > 0)
        {
            inner.Log(logLevel, "{Suppressed} more like the next line in the last {Seconds:0} s were not logged", suppressed, Window.TotalSeconds);
        }

        inner.Log(logLevel, eventId, state, exception, formatter);
    }

    /// <summary>The message template ("Replica {Hostname} did not answer ..."): one budget per kind of line, whatever its values.</summary>
    private static string TemplateOf<TState>(TState state, EventId eventId)
    {
        if (state is IReadOnlyList<KeyValuePair<string, object?>> values)
        {
            foreach (var pair in values)
            {
                if (pair.Key == "{OriginalFormat}" && pair.Value is string template)
                {
                    return template;
                }
            }
        }

        return eventId.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private sealed class TemplateBudget
    {
        private readonly Lock gate = new();
        private long windowStart = long.MinValue;
        private int written;
        private int suppressed;

        /// <summary>-1: suppress this one; otherwise write it, after a summary of that many suppressed ones.</summary>
        public int TryTake(long now, TimeProvider clock)
        {
            lock (gate)
            {
                if (windowStart == long.MinValue || clock.GetElapsedTime(windowStart, now) >= Window)
                {
                    windowStart = now;
                    written = 0;
                }

                if (written >= PerWindow)
                {
                    suppressed++;
                    return -1;
                }

                written++;
                var summary = suppressed;
                suppressed = 0;
                return summary;
            }
        }
    }
}
