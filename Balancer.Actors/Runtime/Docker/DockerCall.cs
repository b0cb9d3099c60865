using System.Net.Sockets;
using System.Text.Json;
using Docker.DotNet;

namespace Balancer.Actors.Runtime.Docker;

/// <summary>
/// Runs one engine call with the configured deadline and turns the ways an engine fails (unreachable,
/// too slow, server error) into <see cref="RuntimeUnavailableException"/> with the cause in its message.
/// Answers a call site expects (404, 409) are left as <see cref="DockerApiException"/> for it to handle.
/// </summary>
internal sealed class DockerCall(Uri endpoint, TimeSpan timeout)
{
    public TimeSpan Timeout => timeout;

    public async Task<T> RunAsync<T>(string what, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken, TimeSpan? extraTime = null)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout + (extraTime ?? TimeSpan.Zero));
        try
        {
            return await call(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RuntimeUnavailableException(
                $"The Docker engine at {endpoint} did not answer ({what}) within {(timeout + (extraTime ?? TimeSpan.Zero)).TotalSeconds:0.#} s.", exception);
        }
        catch (Exception exception) when (IsUnreachable(exception))
        {
            throw new RuntimeUnavailableException(
                $"The Docker engine at {endpoint} is unreachable ({what}): {exception.Message}", exception);
        }
        catch (DockerApiException exception) when ((int)exception.StatusCode >= 500)
        {
            throw new RuntimeUnavailableException(
                $"The Docker engine at {endpoint} failed ({what}): {EngineMessage(exception)}", exception);
        }
    }

    public Task RunAsync(string what, Func<CancellationToken, Task> call, CancellationToken cancellationToken, TimeSpan? extraTime = null) =>
        RunAsync(what, async token =>
        {
            await call(token).ConfigureAwait(false);
            return true;
        }, cancellationToken, extraTime);

    /// <summary>The engine's own explanation from an error answer (its body is <c>{"message": "..."}</c>).</summary>
    public static string EngineMessage(DockerApiException exception)
    {
        if (string.IsNullOrWhiteSpace(exception.ResponseBody))
        {
            return exception.Message;
        }

        try
        {
            using var body = JsonDocument.Parse(exception.ResponseBody);
            if (body.RootElement.TryGetProperty("message", out var message) && message.GetString() is { Length: > 0 } text)
            {
                return text;
            }
        }
        catch (JsonException)
        {
            // Not JSON: the raw body says it best.
        }

        return exception.ResponseBody.Trim();
    }

    private static bool IsUnreachable(Exception exception) =>
        exception is HttpRequestException or SocketException or IOException or TimeoutException;
}
