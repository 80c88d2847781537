using System.Net;
using System.Net.Sockets;

namespace Switchboard.Email.IntegrationTests.Infrastructure;

public static class LoopbackPorts
{
    /// <summary>A loopback port nothing listens on right now (the system hands out each one once in a long while).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public static bool AcceptsConnections(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
