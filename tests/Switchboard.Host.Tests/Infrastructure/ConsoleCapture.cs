using System.Text;
using System.Text.RegularExpressions;

namespace Switchboard.Host.Tests.Infrastructure;

/// <summary>
/// Keeps a copy of everything written to the console, for the one thing the host only ever prints:
/// the one-time setup link. Installed once for the whole test run and never removed, so hosts
/// starting in parallel cannot undo each other's capture; output still reaches the real console.
/// </summary>
public static partial class ConsoleCapture
{
    private static readonly Lock Gate = new();
    private static readonly StringBuilder Captured = new();
    private static bool _installed;

    public static void Install()
    {
        lock (Gate)
        {
            if (_installed) return;
            Console.SetOut(new TeeWriter(Console.Out));
            _installed = true;
        }
    }

    /// <summary>The token of the setup link that starts with <paramref name="baseUrl"/>, or null when none was printed.</summary>
    public static string? SetupToken(string baseUrl)
    {
        string text;
        lock (Gate) text = Captured.ToString();
        var match = Regex.Match(text, Regex.Escape(baseUrl) + @"/setup\?token=([A-Za-z0-9_-]+)");
        return match.Success ? match.Groups[1].Value : null;
    }

    private sealed class TeeWriter(TextWriter inner) : TextWriter
    {
        public override Encoding Encoding => inner.Encoding;

        public override void Write(char value)
        {
            lock (Gate) Captured.Append(value);
            inner.Write(value);
        }

        public override void Write(string? value)
        {
            lock (Gate) Captured.Append(value);
            inner.Write(value);
        }

        public override void WriteLine(string? value)
        {
            lock (Gate) Captured.AppendLine(value);
            inner.WriteLine(value);
        }

        public override void Flush() => inner.Flush();
    }
}
