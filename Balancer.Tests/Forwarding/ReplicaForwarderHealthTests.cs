using Balancer.Actors.Routing.Health;
using Balancer.Tests.Support;
using Balancer.Web.Forwarding;
using Microsoft.AspNetCore.Http;

namespace Balancer.Tests.Forwarding;

/// <summary>The forwarder with health tracking, against fake replicas that fail, hang or are slow on purpose.</summary>
public sealed class ReplicaForwarderHealthTests
{
    private static readonly ForwardingOptions Forwarding = new() { MaxAttempts = 3, AttemptTimeout = TimeSpan.FromSeconds(30) };

    private static Task Hang(HttpContext context) => Task.Delay(Timeout.Infinite, context.RequestAborted);

    [Fact]
    public async Task A_replica_answering_500_costs_no_client_a_5xx_and_is_ejected_after_three()
    {
        await using var test = await ForwarderUnderTest.StartAsync(new HealthOptions { BaseEjectionTime = TimeSpan.FromMinutes(5), MaxEjectionTime = TimeSpan.FromMinutes(5) },
            Forwarding, ForwarderUnderTest.ServerError, ForwarderUnderTest.Ok, ForwarderUnderTest.Ok);

        var answers = new List<(int Status, string? Replica)>();
        foreach (var id in test.IdsOwnedBy("S1", 20))
        {
            answers.Add(await test.HomeAsync(id));
        }

        Assert.All(answers, answer => Assert.Equal(200, answer.Status));
        Assert.DoesNotContain(answers, answer => answer.Replica == "S1");
        Assert.Equal(3, test.Received["S1"]);
        var s1 = test.Route("S1").Health;
        Assert.True(s1.IsEjected);
        Assert.Equal((EjectionCause.ErrorResponses, 3L), (s1.EjectedFor!.Value, s1.RetriedElsewhere));
        Assert.Equal(["ejected S1 ErrorResponses"], test.Events);
    }

    [Fact]
    public async Task An_ejected_replica_is_readmitted_when_a_trial_request_succeeds()
    {
        var failing = true;
        await using var test = await ForwarderUnderTest.StartAsync(new HealthOptions { BaseEjectionTime = TimeSpan.FromMilliseconds(100) },
            Forwarding, context => Volatile.Read(ref failing) ? ForwarderUnderTest.ServerError(context) : ForwarderUnderTest.Ok(context),
            ForwarderUnderTest.Ok, ForwarderUnderTest.Ok);
        var ids = test.IdsOwnedBy("S1", 5);
        foreach (var id in ids[..3])
        {
            Assert.Equal(200, (await test.HomeAsync(id)).Status);
        }

        Assert.True(test.Route("S1").Health.IsEjected);
        Volatile.Write(ref failing, false);

        Assert.True(await Eventually.HoldsAsync(async () => (await test.HomeAsync(ids[4])).Replica == "S1", TimeSpan.FromSeconds(10)),
            "the trial request never readmitted S1");
        Assert.False(test.Route("S1").Health.IsEjected);
        Assert.Equal(["ejected S1 ErrorResponses", "readmitted S1"], test.Events);
    }

    [Fact]
    public async Task A_hung_attempt_is_abandoned_at_the_replicas_adaptive_timeout_and_the_next_replica_answers()
    {
        var hung = false;
        await using var test = await ForwarderUnderTest.StartAsync(new HealthOptions { MinLatencySamples = 5 }, Forwarding,
            context => Volatile.Read(ref hung) ? Hang(context) : ForwarderUnderTest.Ok(context), ForwarderUnderTest.Ok, ForwarderUnderTest.Ok);
        var id = test.IdsOwnedBy("S1", 1)[0];
        var s1 = test.Route("S1").Health;
        Assert.True(await Eventually.HoldsAsync(async () =>
        {
            await test.HomeAsync(id);
            return s1.AttemptTimeout < Forwarding.AttemptTimeout;
        }, TimeSpan.FromSeconds(20)), "S1 never earned an adaptive timeout");

        Volatile.Write(ref hung, true);
        var answer = await test.HomeAsync(id);

        // Without the adaptive timeout the request would have waited the full 30 s for S1.
        Assert.Equal((200, "S2"), answer);
        Assert.Equal((1L, 1L), (s1.AbandonedAttempts, s1.RetriedElsewhere));
    }

    [Fact]
    public async Task A_replica_that_always_takes_200_ms_is_never_abandoned()
    {
        await using var test = await ForwarderUnderTest.StartAsync(new HealthOptions { MinLatencySamples = 5 }, Forwarding,
            async context =>
            {
                await Task.Delay(200, context.RequestAborted);
                await ForwarderUnderTest.Ok(context);
            }, ForwarderUnderTest.Ok, ForwarderUnderTest.Ok);
        var ids = test.IdsOwnedBy("S1", 4);
        var s1 = test.Route("S1").Health;
        var answers = new System.Collections.Concurrent.ConcurrentBag<(int, string?)>();
        var afterEstimate = 0;

        await Task.WhenAll(ids.Select(async id =>
        {
            // Keep asking until S1 has an estimate and has then answered 20 more requests under it.
            while (Volatile.Read(ref afterEstimate) < 20)
            {
                var adaptive = s1.AttemptTimeout < Forwarding.AttemptTimeout;
                answers.Add(await test.HomeAsync(id));
                if (adaptive)
                {
                    Interlocked.Increment(ref afterEstimate);
                }
            }
        }));

        Assert.All(answers, answer => Assert.Equal((200, "S1"), answer));
        Assert.Equal(0, s1.AbandonedAttempts);
        Assert.InRange(s1.AttemptTimeout, TimeSpan.FromMilliseconds(800), Forwarding.AttemptTimeout - TimeSpan.FromTicks(1));
    }

    [Fact]
    public async Task A_request_with_a_body_is_not_retried_once_sent()
    {
        await using var test = await ForwarderUnderTest.StartAsync(new HealthOptions(), Forwarding,
            ForwarderUnderTest.ServerError, ForwarderUnderTest.Ok, ForwarderUnderTest.Ok);
        var id = test.IdsOwnedBy("S1", 1)[0];

        var answer = await test.HomeAsync(id, new StringContent("a body"));

        Assert.Equal((500, "S1"), answer);
        Assert.Equal(1, test.Received.GetValueOrDefault("S1"));
        Assert.Equal(0, test.Received.GetValueOrDefault("S2") + test.Received.GetValueOrDefault("S3"));
    }

    [Fact]
    public async Task A_hung_replica_fails_a_request_with_a_body_after_the_full_timeout_instead_of_sending_it_twice()
    {
        await using var test = await ForwarderUnderTest.StartAsync(new HealthOptions(), Forwarding with { AttemptTimeout = TimeSpan.FromSeconds(1) },
            Hang, ForwarderUnderTest.Ok, ForwarderUnderTest.Ok);
        var id = test.IdsOwnedBy("S1", 1)[0];

        var answer = await test.HomeAsync(id, new StringContent("a body"));

        Assert.Equal(502, answer.Status);
        Assert.Equal(0, test.Received.GetValueOrDefault("S2") + test.Received.GetValueOrDefault("S3"));
    }

    [Fact]
    public async Task With_health_off_a_5xx_reaches_the_client_and_nothing_is_ejected()
    {
        await using var test = await ForwarderUnderTest.StartAsync(new HealthOptions { Enabled = false }, Forwarding,
            ForwarderUnderTest.ServerError, ForwarderUnderTest.Ok, ForwarderUnderTest.Ok);
        var answers = new List<(int Status, string? Replica)>();
        foreach (var id in test.IdsOwnedBy("S1", 10))
        {
            answers.Add(await test.HomeAsync(id));
        }

        Assert.All(answers, answer => Assert.Equal((500, "S1"), answer));
        Assert.Equal(10, test.Received["S1"]);
        Assert.False(test.Route("S1").Health.IsEjected);
        Assert.Empty(test.Events);
    }
}
