using System.Net;
using System.Net.Sockets;

namespace Experiments.Live.Processes;

public static class LoopbackPorts
{
    /// <summary>A loopback port the kernel just reported free (never 5000, which is the product's).</summary>
    public static int Free()
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
