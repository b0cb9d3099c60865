using System.Text.RegularExpressions;
using Akka.Event;
using Balancer.Web.Forwarding;

namespace Balancer.Web.Logging;

/// <summary>Logs an operator can read. JSON console logs need no code: <c>Logging:Console:FormatterName=json</c>.</summary>
internal static class LoggingServices
{
    /// <summary>
    /// Akka logs every dead letter, and a normal shutdown makes some (replies to actors that stopped first):
    /// noise that reads like a fault. Dead letters while running stay logged, a few.
    /// </summary>
    public const string AkkaHocon = """
        akka.log-dead-letters-during-shutdown = off
        akka.log-dead-letters = 3
        """;

    /// <summary>
    /// An exit notice that reaches a replica actor after it ended is expected, not lost: the actor had
    /// already seen its replica stop (every stop at shutdown, many replacements). Its dead letter says nothing.
    /// </summary>
    public static LogFilterSetup AkkaLogFilter() =>
        new LogFilterBuilder().ExcludeMessageRegex(new Regex(@"^Message \[ReplicaExited\] .* was not delivered", RegexOptions.Compiled)).Build();

    /// <summary>The forwarder logs per request: its lines are rate-limited (see <see cref="RateLimitedLogger{T}"/>).</summary>
    public static IServiceCollection AddRateLimitedRequestLogs(this IServiceCollection services) =>
        services.AddSingleton<ILogger<ReplicaForwarder>, RateLimitedLogger<ReplicaForwarder>>();

    /// <summary>
    /// ASP.NET Core's hosting starts an Activity and a logging scope for every request whenever its
    /// diagnostics category logs at any level (even Critical only), and the balancer never logs per request
    /// there: turning the category off takes both off the data path. An operator who wants request
    /// logs can still set <c>Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics</c>.
    /// </summary>
    public static ILoggingBuilder WithoutPerRequestHostingDiagnostics(this ILoggingBuilder logging, IConfiguration configuration)
    {
        const string Category = "Microsoft.AspNetCore.Hosting.Diagnostics";
        if (configuration[$"Logging:LogLevel:{Category}"] is null)
        {
            logging.AddFilter(Category, Microsoft.Extensions.Logging.LogLevel.None);
        }

        return logging;
    }
}
