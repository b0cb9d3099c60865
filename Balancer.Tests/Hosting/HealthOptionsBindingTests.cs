using Balancer.Actors.Routing.Health;
using Balancer.Web.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Balancer.Tests.Hosting;

/// <summary>The <c>Balancer:Health</c> section: its defaults, its keys, and its start-up checks.</summary>
public sealed class HealthOptionsBindingTests
{
    [Fact]
    public void Without_configuration_health_tracking_is_on_with_its_documented_defaults()
    {
        using var provider = Provider();

        var health = Value(provider);

        Assert.Equal(new HealthOptions(), health);
        Assert.True(health.Enabled);
        Assert.Equal((3, true, true), (health.ConsecutiveFailures, health.EjectOnServerErrors, health.RetryServerErrors));
        Assert.Equal((TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), 50), (health.BaseEjectionTime, health.MaxEjectionTime, health.MaxEjectedPercent));
        Assert.Equal((TimeSpan.FromMilliseconds(50), 4.0, 20), (health.AttemptTimeoutFloor, health.AttemptTimeoutMultiple, health.MinLatencySamples));
        provider.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public void Every_key_binds_from_the_health_section()
    {
        using var provider = Provider(
            ("Balancer:Health:Enabled", "false"),
            ("Balancer:Health:ConsecutiveFailures", "2"),
            ("Balancer:Health:EjectOnServerErrors", "false"),
            ("Balancer:Health:RetryServerErrors", "false"),
            ("Balancer:Health:BaseEjectionTime", "00:00:02"),
            ("Balancer:Health:MaxEjectionTime", "00:01:00"),
            ("Balancer:Health:MaxEjectedPercent", "34"),
            ("Balancer:Health:AttemptTimeoutFloor", "00:00:00.080"),
            ("Balancer:Health:AttemptTimeoutMultiple", "3.5"),
            ("Balancer:Health:MinLatencySamples", "40"));

        provider.GetRequiredService<IStartupValidator>().Validate();
        Assert.Equal(new HealthOptions
        {
            Enabled = false,
            ConsecutiveFailures = 2,
            EjectOnServerErrors = false,
            RetryServerErrors = false,
            BaseEjectionTime = TimeSpan.FromSeconds(2),
            MaxEjectionTime = TimeSpan.FromMinutes(1),
            MaxEjectedPercent = 34,
            AttemptTimeoutFloor = TimeSpan.FromMilliseconds(80),
            AttemptTimeoutMultiple = 3.5,
            MinLatencySamples = 40,
        }, Value(provider));
    }

    [Theory]
    [InlineData("Balancer:Health:ConsecutiveFailures", "0", "Balancer:Health:ConsecutiveFailures must be at least 1, got 0.")]
    [InlineData("Balancer:Health:BaseEjectionTime", "00:00:00", "Balancer:Health:BaseEjectionTime must be positive")]
    [InlineData("Balancer:Health:MaxEjectionTime", "00:00:00.500", "MaxEjectionTime at least as long")]
    [InlineData("Balancer:Health:MaxEjectedPercent", "101", "Balancer:Health:MaxEjectedPercent must be between 0 and 100, got 101.")]
    [InlineData("Balancer:Health:AttemptTimeoutFloor", "00:00:00", "Balancer:Health:AttemptTimeoutFloor must be positive")]
    [InlineData("Balancer:Health:AttemptTimeoutMultiple", "0.5", "Balancer:Health:AttemptTimeoutMultiple must be a finite number of at least 1")]
    [InlineData("Balancer:Health:MinLatencySamples", "0", "Balancer:Health:MinLatencySamples must be at least 1, got 0.")]
    public void A_health_setting_that_cannot_work_fails_the_start_up_check_with_a_message_that_names_it(string key, string value, string message)
    {
        using var provider = Provider((key, value));

        var error = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(message, error.Message);
    }

    private static ServiceProvider Provider(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(setting => new KeyValuePair<string, string?>(setting.Key, setting.Value)))
            .Build();
        return new ServiceCollection().AddBalancerOptions(configuration).BuildServiceProvider();
    }

    private static HealthOptions Value(IServiceProvider provider) => provider.GetRequiredService<IOptions<HealthOptions>>().Value;
}
