using Akka.Actor;
using Akka.Hosting;
using Balancer.Actors.Routing;
using Balancer.Actors.Supervision;
using Balancer.Web.Cluster;
using Balancer.Web.Management;
using Balancer.Web.Metrics;
using Microsoft.Extensions.Options;

namespace Balancer.Web.Api;

/// <summary>GET /rep, POST /add and DELETE /rm, answered by the ReplicaSupervisor.</summary>
internal static class AdminEndpoints
{
    private static readonly TimeSpan ListTimeout = TimeSpan.FromSeconds(10);

    public static void MapAdminEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.Map("/rep", context => OnlyMethod(context, HttpMethods.Get, ListAsync)).WithMetadata(new AdminEndpoint("rep"));
        endpoints.Map("/add", context => OnlyMethod(context, HttpMethods.Post, AddAsync)).WithMetadata(new AdminEndpoint("add"));
        endpoints.Map("/rm", context => OnlyMethod(context, HttpMethods.Delete, RemoveAsync)).WithMetadata(new AdminEndpoint("rm"));
    }

    private static Task OnlyMethod(HttpContext context, string method, Func<HttpContext, Task<IResult>> handler)
    {
        if (!HttpMethods.Equals(context.Request.Method, method))
        {
            context.Response.Headers.Allow = method;
            return ApiResults.WriteFailureAsync(context, StatusCodes.Status405MethodNotAllowed,
                $"Method {context.Request.Method} is not allowed on '{context.Request.Path}'; use {method}");
        }

        return Execute(context, AdminToken.Guard(method, handler));
    }

    private static async Task Execute(HttpContext context, Func<HttpContext, Task<IResult>> handler) =>
        await (await handler(context)).ExecuteAsync(context);

    private static async Task<IResult> ListAsync(HttpContext context)
    {
        if (context.RequestServices.GetRequiredService<IOptions<ClusterOptions>>().Value.Enabled)
        {
            // A cluster's /rep is what this node routes (its own table, built from the replicated ring), not a call to the scheduler.
            var table = context.RequestServices.GetRequiredService<RoutingTablePublisher>().Current;
            return ApiResults.ReplicaSet(table.Replicas.Select(route => route.Hostname).ToArray());
        }

        var supervisor = Supervisor(context);
        var set = await supervisor.Ask<ReplicaSet>(GetReplicas.Instance, ListTimeout, context.RequestAborted);
        return ApiResults.ReplicaSet(set.Replicas);
    }

    private static Task<IResult> AddAsync(HttpContext context) =>
        ChangeAsync(context, AdminRequestRules.TooManyToAdd, request => new AddReplicas(request.Count, request.Hostnames), "added");

    private static Task<IResult> RemoveAsync(HttpContext context) =>
        ChangeAsync(context, AdminRequestRules.TooManyToRemove, request => new RemoveReplicas(request.Count, request.Hostnames), "removed");

    private static async Task<IResult> ChangeAsync(HttpContext context, string tooManyHostnames, Func<AdminRequest, object> command, string done)
    {
        var body = await AdminRequestBody.ReadAsync(context.Request, context.RequestAborted);
        if (body is null)
        {
            return ApiResults.Failure(StatusCodes.Status413PayloadTooLarge, $"Request body is larger than {AdminRequestBody.MaxBytes} bytes");
        }

        var request = AdminRequestParser.Parse(body, tooManyHostnames, out var error);
        if (request is null)
        {
            return ApiResults.Failure(StatusCodes.Status400BadRequest, error!);
        }

        var settings = context.RequestServices.GetRequiredService<AdminTimeouts>();
        // The supervisor answers every change within its deadline (and never applies one it refused), so
        // this timeout only fires if the actor system itself is gone.
        object reply;
        try
        {
            reply = await Supervisor(context).Ask<object>(command(request), settings.ChangeTimeout, CancellationToken.None);
        }
        catch (AskTimeoutException)
        {
            return ApiResults.Failure(StatusCodes.Status503ServiceUnavailable,
                $"The change did not finish within {settings.ChangeTimeout.TotalSeconds:0} s; GET /rep shows where it stands");
        }

        if (reply is ReplicaSet changed)
        {
            // The status page's event list: what the operator asked for and what the set is now.
            context.RequestServices.GetRequiredService<ReplicaEventLog>().Add(done, string.Join(", ", request.Hostnames),
                $"{done} {request.Count} ({(request.Hostnames.Count == 0 ? "any" : string.Join(", ", request.Hostnames))}); N = {changed.Replicas.Count}");
        }

        return reply switch
        {
            ReplicaSet set => ApiResults.ReplicaSet(set.Replicas),
            AdminRejected { Kind: AdminErrorKind.InvalidRequest } rejected => ApiResults.Failure(StatusCodes.Status400BadRequest, rejected.Message),
            AdminRejected { Kind: AdminErrorKind.NameConflict } rejected => ApiResults.Failure(StatusCodes.Status409Conflict, rejected.Message),
            AdminRejected rejected => ApiResults.Failure(StatusCodes.Status503ServiceUnavailable, rejected.Message),
            _ => ApiResults.Failure(StatusCodes.Status500InternalServerError, $"Unexpected reply {reply.GetType().Name}"),
        };
    }

    private static IActorRef Supervisor(HttpContext context) =>
        context.RequestServices.GetRequiredService<IRequiredActor<ReplicaSupervisor>>().ActorRef;
}

/// <summary>How long an /add or /rm may take: the replicas' start timeout plus room for stopping.</summary>
internal sealed record AdminTimeouts(TimeSpan ChangeTimeout);
