using Balancer.Web.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Balancer.Tests.Logging;

public sealed class RateLimitedLoggerTests
{
    [Fact]
    public void EachTemplateIsWrittenAFewTimesPerWindowAndTheRestAreSummedUpInTheNextWindow()
    {
        var collector = new FakeLogCollector();
        using var factory = LoggerFactory.Create(logging => logging.AddProvider(new FakeLoggerProvider(collector)));
        var clock = new ManualClock();
        var logger = new RateLimitedLogger<RateLimitedLoggerTests>(factory, clock);

        for (var request = 0; request < 100; request++)
        {
            logger.LogWarning("Replica {Hostname} did not answer", "S1");
        }

        logger.LogWarning("No replica in the routing table for {Path}", "/home");
        Assert.Equal(RateLimitedLogger<RateLimitedLoggerTests>.PerWindow + 1, collector.Count);

        clock.Advance(RateLimitedLogger<RateLimitedLoggerTests>.Window);
        logger.LogWarning("Replica {Hostname} did not answer", "S2");

        var last = collector.GetSnapshot().TakeLast(2).Select(record => record.Message).ToArray();
        Assert.Equal(["95 more like the next line in the last 10 s were not logged", "Replica S2 did not answer"], last);
    }

    private sealed class ManualClock : TimeProvider
    {
        private long ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => ticks;

        public void Advance(TimeSpan by) => ticks += by.Ticks;
    }
}
