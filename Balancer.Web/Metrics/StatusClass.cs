namespace Balancer.Web.Metrics;

/// <summary>A status code's class ("2xx" ... "5xx"): the label that keeps request series few.</summary>
internal static class StatusClass
{
    private static readonly string[] Names = ["1xx", "2xx", "3xx", "4xx", "5xx"];

    public static string Of(int status) => status is >= 100 and < 600 ? Names[(status / 100) - 1] : "other";

    public static bool IsServerError(int status) => status >= 500;
}
