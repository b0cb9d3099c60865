using Balancer.Tests.Support;
using Microsoft.Playwright;

namespace Balancer.Tests.Management;

/// <summary>
/// The status page in a real headless browser (the installed chromium, driven by Playwright): it shows the
/// replicas, then a killed replica's death and its replacement, on the same page, never reloaded.
/// STATUS_PAGE_SCREENSHOT=path saves what the page showed at the end (the README's picture).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class StatusPageBrowserTests
{
    private static readonly LocatorAssertionsToHaveCountOptions WithinSeconds = new() { Timeout = 20_000 };

    [ChromiumFact]
    public async Task ThePageShowsTheReplicasThenAKilledReplicasDeathAndItsReplacementWithoutReloading()
    {
        await using var balancer = await TestBalancer.StartAsync(3);
        using var traffic = new CancellationTokenSource();
        var load = SendTrafficAsync(balancer.Api, traffic.Token);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumFactAttribute.Executable, Headless = true });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1400, Height = 860 } });
        var loads = 0;
        page.Load += (_, _) => loads++;
        await page.GotoAsync(new Uri(balancer.ManagementAddress, "/status").ToString());

        var rows = page.Locator("#replicas tr[data-replica]");
        await Assertions.Expect(rows).ToHaveCountAsync(3, WithinSeconds);
        foreach (var name in new[] { "S1", "S2", "S3" })
        {
            await Assertions.Expect(page.Locator($"#replicas tr[data-replica='{name}'][data-state='serving']")).ToHaveCountAsync(1, WithinSeconds);
        }

        // A value only this page load has: a reload would lose it.
        await page.EvaluateAsync("window.sameLoad = 'yes'");
        await balancer.KillReplicaAsync("S2", CancellationToken.None);

        await Assertions.Expect(page.Locator("#events li[data-kind='died'][data-replica='S2']")).ToHaveCountAsync(1, WithinSeconds);
        await Assertions.Expect(page.Locator("#replicas tr[data-replica='S2']")).ToHaveCountAsync(0, WithinSeconds);
        await Assertions.Expect(page.Locator("#replicas tr[data-state='serving']")).ToHaveCountAsync(3, WithinSeconds);
        var names = await rows.EvaluateAllAsync<string[]>("rows => rows.map(row => row.dataset.replica)");
        var replacement = Assert.Single(names, name => name is not ("S1" or "S3"));
        Assert.Equal((await balancer.Api.ListAsync()).Replicas.Order(), names.Order());
        await Assertions.Expect(page.Locator($"#events li[data-replica='{replacement}']")).ToHaveCountAsync(1, WithinSeconds);

        Assert.Equal("yes", await page.EvaluateAsync<string>("window.sameLoad"));
        Assert.Equal(1, loads);

        traffic.Cancel();
        await load;
        if (Environment.GetEnvironmentVariable("STATUS_PAGE_SCREENSHOT") is { Length: > 0 } path)
        {
            await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        }
    }

    /// <summary>A few requests a second, so the rows and the chart have something to show.</summary>
    private static async Task SendTrafficAsync(global::Experiments.Live.BalancerApi api, CancellationToken stop)
    {
        var id = 100_000;
        using var every = new PeriodicTimer(TimeSpan.FromMilliseconds(25));
        try
        {
            while (await every.WaitForNextTickAsync(stop))
            {
                id = id >= 999_000 ? 100_000 : id + 7919;
                try
                {
                    await api.HomeAsync(id, stop);
                }
                catch (HttpRequestException)
                {
                    // The killed replica's requests fail over; one that fails entirely changes nothing here.
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
