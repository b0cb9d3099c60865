using Balancer.Web.Management;

namespace Balancer.Tests.Management;

public sealed class ManagementOptionsTests
{
    [Fact]
    public void TheDefaultIsHaproxysStatsPortOnLoopback()
    {
        var options = new ManagementOptions();

        Assert.Equal(["http://127.0.0.1:8404"], options.UrlList);
        Assert.Equal([8404], options.Ports);
    }

    [Fact]
    public void AManagementUrlOnTheBalancersPortIsRefusedWithTheSettingsName()
    {
        var options = new ManagementOptions { Urls = "http://127.0.0.1:5000" };

        var refused = Assert.Throws<ArgumentException>(() => options.Validate(["http://0.0.0.0:5000"]));
        Assert.Contains("Balancer:Management:Urls", refused.Message);
    }

    [Fact]
    public void WildcardHostsAndSeveralUrlsAreAccepted()
    {
        var options = new ManagementOptions { Urls = "http://*:8404; http://[::1]:9000" };

        options.Validate(["http://0.0.0.0:5000"]);
        Assert.Equal([8404, 9000], options.Ports.Order());
    }

    [Fact]
    public void AnythingButAnHttpUrlIsRefused() =>
        Assert.Throws<ArgumentException>(() => new ManagementOptions { Urls = "8404" }.Validate([]));
}
