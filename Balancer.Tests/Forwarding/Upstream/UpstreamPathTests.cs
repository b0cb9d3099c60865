using System.Text;
using Balancer.Actors.Routing.Health;
using Balancer.Tests.Support;
using Balancer.Web.Forwarding;

namespace Balancer.Tests.Forwarding.Upstream;

/// <summary>The HTTP/1.1 path against replicas that do what Kestrel never does: close idle connections, garble, stream, cut short.</summary>
public sealed class UpstreamPathTests
{
    private static readonly ForwardingOptions Forwarding = new() { MaxAttempts = 3, AttemptTimeout = TimeSpan.FromSeconds(30) };

    private static IReadOnlyList<byte[]> Hello(int request) =>
        [ScriptedReplica.Ascii($"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {5 + request.ToString().Length}\r\n\r\nhello{request}")];

    [Fact]
    public async Task A_pooled_connection_the_replica_closed_while_idle_is_replaced_without_counting_a_failure()
    {
        await using var s1 = new ScriptedReplica(Hello, closeAfterEachAnswer: true);
        await using var s2 = new ScriptedReplica(Hello);
        await using var test = await ForwarderUnderTest.StartAsync(new HealthOptions(), Forwarding, [s1.Address, s2.Address]);

        var answers = new List<(int, string?)>();
        foreach (var id in test.IdsOwnedBy("S1", 5))
        {
            // Each request waits until the replica has closed the last one's connection, so the pooled one is stale.
            Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(s1.Accepted == s1.Requests), TimeSpan.FromSeconds(10)));
            answers.Add(await test.HomeAsync(id));
        }

        Assert.All(answers, answer => Assert.Equal((200, "S1"), answer));
        Assert.Equal(0, test.Route("S1").Health.FailedAttempts);
        Assert.Equal(0, s2.Requests);
    }

    [Fact]
    public async Task A_large_chunked_answer_streams_through_byte_for_byte()
    {
        var body = new byte[1 << 20];
        new Random(7).NextBytes(body);
        await using var s1 = new ScriptedReplica(_ => Chunked(body, new Random(11)));
        await using var test = await ForwarderUnderTest.StartAsync(new HealthOptions(), Forwarding, [s1.Address]);

        using var response = await test.Client.GetAsync("/home?id=1");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("S1", response.Headers.GetValues(ReplicaResponseTransformer.ReplicaHeader).Single());
        Assert.Equal(body, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_body_with_a_content_length_sent_in_pieces_arrives_whole_and_the_connection_is_reused()
    {
        await using var s1 = new ScriptedReplica(request =>
        [
            ScriptedReplica.Ascii("HTTP/1.1 200 OK\r\nContent-Length: 30000\r\n"),
            ScriptedReplica.Ascii("\r\n" + new string('a', 10000)),
            ScriptedReplica.Ascii(new string('b', 10000)),
            ScriptedReplica.Ascii(new string('c', 10000)),
        ]);
        await using var test = await ForwarderUnderTest.StartAsync(new HealthOptions(), Forwarding, [s1.Address]);

        for (var i = 0; i < 3; i++)
        {
            var text = await test.Client.GetStringAsync($"/home?id={i}");
            Assert.Equal(new string('a', 10000) + new string('b', 10000) + new string('c', 10000), text);
        }

        Assert.Equal(1, s1.Accepted);
    }

    [Fact]
    public async Task A_garbled_answer_goes_to_the_next_replica_and_counts_against_the_garbling_one()
    {
        await using var s1 = new ScriptedReplica(_ => [ScriptedReplica.Ascii("SMTP ready\r\n\r\n")]);
        await using var s2 = new ScriptedReplica(Hello);
        await using var test = await ForwarderUnderTest.StartAsync(new HealthOptions(), Forwarding, [s1.Address, s2.Address]);

        var answer = await test.HomeAsync(test.IdsOwnedBy("S1", 1)[0]);

        Assert.Equal((200, "S2"), answer);
        Assert.Equal(1, test.Route("S1").Health.FailedAttempts);
    }

    [Fact]
    public async Task A_body_cut_short_after_the_answer_started_aborts_the_clients_response()
    {
        await using var s1 = new ScriptedReplica(_ => [ScriptedReplica.Ascii("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nonly this")], closeAfterEachAnswer: true);
        await using var test = await ForwarderUnderTest.StartAsync(new HealthOptions(), Forwarding, [s1.Address]);

        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            using var response = await test.Client.GetAsync("/home?id=1");
            await response.Content.ReadAsByteArrayAsync();
        });
    }

    [Fact]
    public async Task Connections_to_a_replica_that_left_the_table_are_closed()
    {
        await using var s1 = new ScriptedReplica(Hello);
        await using var s2 = new ScriptedReplica(Hello);
        await using var test = await ForwarderUnderTest.StartAsync(new HealthOptions(), Forwarding, [s1.Address, s2.Address]);
        await Task.WhenAll(test.IdsOwnedBy("S1", 8).Select(id => test.HomeAsync(id)));
        Assert.True(s1.Accepted > 0);

        test.Remove("S1");

        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(s1.ClosedByBalancer == s1.Accepted), TimeSpan.FromSeconds(10)),
            $"{s1.ClosedByBalancer} of {s1.Accepted} connections to S1 closed");
    }

    private static IReadOnlyList<byte[]> Chunked(byte[] body, Random random)
    {
        var writes = new List<byte[]> { ScriptedReplica.Ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n") };
        for (var offset = 0; offset < body.Length;)
        {
            var size = Math.Min(body.Length - offset, random.Next(1, 40_000));
            writes.Add([.. Encoding.ASCII.GetBytes($"{size:x}\r\n"), .. body.AsSpan(offset, size), .. "\r\n"u8]);
            offset += size;
        }

        writes.Add(ScriptedReplica.Ascii("0\r\n\r\n"));
        return writes;
    }
}
