using System.Diagnostics;

namespace Balancer.Tests.Support;

/// <summary>The ReplicaServer build that the project reference copies next to the tests.</summary>
internal static class ReplicaServerBinary
{
    public static string Path { get; } = System.IO.Path.Combine(AppContext.BaseDirectory, "ReplicaServer");

    public static ProcessStartInfo StartInfo(string serverId, int port)
    {
        var startInfo = new ProcessStartInfo(Path)
        {
            UseShellExecute = false,
            RedirectStandardOutput = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        startInfo.Environment["SERVER_ID"] = serverId;
        startInfo.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        return startInfo;
    }
}
