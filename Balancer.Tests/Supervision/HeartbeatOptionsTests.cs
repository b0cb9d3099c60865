using Balancer.Actors.Supervision;
using Balancer.Actors.Supervision.Detection;
using Balancer.Web.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Balancer.Tests.Supervision;

/// <summary>The detection settings under <c>Balancer:Heartbeat</c>: their defaults, binding and start-up check.</summary>
public sealed class HeartbeatOptionsTests
{
    [Fact]
    public void TheDetectionSettingsHaveTheirDocumentedDefaults()
    {
        var options = Bind();

        Assert.Equal(HangDetector.Adaptive, options.Detector);
        Assert.Equal(8, options.PhiThreshold);
        Assert.Equal(TimeSpan.FromMilliseconds(100), options.MinStdDeviation);
        Assert.Equal(TimeSpan.FromMilliseconds(300), options.ProbeTimeoutFloor);
        Assert.Equal(4, options.ProbeTimeoutMultiple);
        Assert.Equal(TimeSpan.FromMilliseconds(100), options.TrafficCheckInterval);
        Assert.Equal(TimeSpan.FromSeconds(5), options.ReplaceFailingAfter);
    }

    [Fact]
    public void TheDetectionSettingsBindFromTheHeartbeatSection()
    {
        var options = Bind(
            ("Balancer:Heartbeat:Detector", "Fixed"),
            ("Balancer:Heartbeat:PhiThreshold", "10.5"),
            ("Balancer:Heartbeat:MinStdDeviation", "00:00:00.200"),
            ("Balancer:Heartbeat:ProbeTimeoutFloor", "00:00:00.400"),
            ("Balancer:Heartbeat:ProbeTimeoutMultiple", "3"),
            ("Balancer:Heartbeat:TrafficCheckInterval", "00:00:00.050"),
            ("Balancer:Heartbeat:ReplaceFailingAfter", "00:00:03"));

        Assert.Equal(new HeartbeatOptions
        {
            Detector = HangDetector.Fixed,
            PhiThreshold = 10.5,
            MinStdDeviation = TimeSpan.FromMilliseconds(200),
            ProbeTimeoutFloor = TimeSpan.FromMilliseconds(400),
            ProbeTimeoutMultiple = 3,
            TrafficCheckInterval = TimeSpan.FromMilliseconds(50),
            ReplaceFailingAfter = TimeSpan.FromSeconds(3),
        }, options);
    }

    [Theory]
    [InlineData("Detector", "Sometimes")]
    [InlineData("PhiThreshold", "0")]
    [InlineData("MinStdDeviation", "00:00:00")]
    [InlineData("ProbeTimeoutFloor", "-00:00:01")]
    [InlineData("ProbeTimeoutMultiple", "0.5")]
    [InlineData("TrafficCheckInterval", "00:00:00")]
    [InlineData("ReplaceFailingAfter", "00:00:00")]
    public void ADetectionSettingThatCannotWorkStopsTheStartUp(string key, string value)
    {
        var failure = Record.Exception(() => Bind(($"Balancer:Heartbeat:{key}", value)));

        Assert.NotNull(failure);
        Assert.Contains(key, failure.Message, StringComparison.OrdinalIgnoreCase);
    }

    private static HeartbeatOptions Bind(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(setting => new KeyValuePair<string, string?>(setting.Key, setting.Value)))
            .Build();
        using var provider = new ServiceCollection().AddBalancerOptions(configuration).BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        return provider.GetRequiredService<IOptions<HeartbeatOptions>>().Value;
    }
}
