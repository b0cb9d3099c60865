using System.Net;
using System.Net.Sockets;

namespace Balancer.Tests.Support;

internal static class FreePort
{
    /// <summary>A loopback port the kernel just reported free (never 5000, which is the product's).</summary>
    public static int Next()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            if (port != 5000)
            {
                return port;
            }
        }
    }
}
