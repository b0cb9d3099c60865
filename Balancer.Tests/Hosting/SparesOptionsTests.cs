using Balancer.Actors.Supervision;
using Balancer.Web.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Balancer.Tests.Hosting;

/// <summary>Balancer:Spares: off by default, bound from the Balancer section, and checked at start-up.</summary>
public sealed class SparesOptionsTests
{
    [Fact]
    public void NoSparesUnlessConfigured()
    {
        using var provider = Provider();

        Assert.Equal(0, provider.GetRequiredService<IOptions<ReplicaSetOptions>>().Value.Spares);
    }

    [Fact]
    public void SparesBindFromTheBalancerSection()
    {
        using var provider = Provider(("Balancer:Spares", "2"));

        provider.GetRequiredService<IStartupValidator>().Validate();
        Assert.Equal(2, provider.GetRequiredService<IOptions<ReplicaSetOptions>>().Value.Spares);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("65")]
    public void SparesOutsideTheirRangeFailTheStartUpCheck(string spares)
    {
        using var provider = Provider(("Balancer:Spares", spares));

        var error = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains($"Balancer:Spares must be 0 to 64, got {spares}.", error.Message);
    }

    private static ServiceProvider Provider(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(setting => new KeyValuePair<string, string?>(setting.Key, setting.Value)))
            .Build();
        return new ServiceCollection().AddBalancerOptions(configuration).BuildServiceProvider();
    }
}
