using System.Net.Sockets;
using System.Text;

namespace Switchboard.Email.IntegrationTests.Infrastructure;

/// <summary>
/// A plain SMTP conversation, line by line, for what a mail library would not send: a message larger
/// than the server announced, or one whose size it declares up front.
/// </summary>
public sealed class RawSmtp : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly StreamReader _reader;

    private RawSmtp(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _reader = new StreamReader(_stream, Encoding.ASCII, false, 1024, leaveOpen: true);
    }

    public static async Task<RawSmtp> ConnectAsync(int port)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        var smtp = new RawSmtp(tcp);
        await smtp.ReadReplyAsync();
        return smtp;
    }

    /// <summary>Sends one command line and returns the server's (last) reply line, e.g. "250 Ok".</summary>
    public async Task<string> CommandAsync(string line)
    {
        await _stream.WriteAsync(Encoding.ASCII.GetBytes(line + "\r\n"));
        return await ReadReplyAsync();
    }

    /// <summary>Sends message data after DATA was accepted, dot-stuffed, and returns the reply to the final dot.</summary>
    public async Task<string> DataAsync(byte[] message)
    {
        var text = Encoding.Latin1.GetString(message).Replace("\r\n.", "\r\n..", StringComparison.Ordinal);
        if (!text.EndsWith("\r\n", StringComparison.Ordinal)) text += "\r\n";
        try
        {
            await _stream.WriteAsync(Encoding.Latin1.GetBytes(text + ".\r\n"));
        }
        catch (IOException)
        {
            // A server that refuses the data may close the connection before it has all been written.
        }
        return await ReadReplyAsync();
    }

    private async Task<string> ReadReplyAsync()
    {
        while (true)
        {
            var line = await _reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)) ?? "(connection closed)";
            if (line.Length < 4 || line[3] != '-') return line;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }
}
