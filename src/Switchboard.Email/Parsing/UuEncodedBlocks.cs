using System.Text;
using System.Text.RegularExpressions;
using MimeKit.Encodings;

namespace Switchboard.Email.Parsing;

/// <summary>A file that an old mail client embedded in the text as a uuencoded block.</summary>
internal sealed record UuEncodedFile(string FileName, byte[] Content);

/// <summary>Finds "begin 644 name" ... "end" blocks in a text body, decodes them and removes them from the text.</summary>
internal static partial class UuEncodedBlocks
{
    public static string Extract(string text, List<UuEncodedFile> files)
    {
        if (!text.Contains("begin ", StringComparison.Ordinal))
        {
            return text;
        }

        var result = new StringBuilder();
        var position = 0;
        MatchCollection matches;
        try
        {
            matches = Block().Matches(text);
            _ = matches.Count;
        }
        catch (RegexMatchTimeoutException)
        {
            // Text built to make the search slow keeps its blocks as text.
            return text;
        }

        foreach (Match match in matches)
        {
            var content = Decode(match.Value);
            if (content is null)
            {
                continue;
            }

            files.Add(new UuEncodedFile(match.Groups["name"].Value.Trim(), content));
            result.Append(text, position, match.Index - position);
            position = match.Index + match.Length;
        }

        if (position == 0)
        {
            return text;
        }

        result.Append(text, position, text.Length - position);
        return result.ToString();
    }

    private static byte[]? Decode(string block)
    {
        var input = Encoding.Latin1.GetBytes(block.Replace("\r\n", "\n", StringComparison.Ordinal));
        var decoder = new UUDecoder();
        var output = new byte[decoder.EstimateOutputLength(input.Length)];
        var length = decoder.Decode(input, 0, input.Length, output);
        return length > 0 ? output[..length] : null;
    }

    [GeneratedRegex(@"^begin [0-7]{3,4} (?<name>[^\r\n]+)\r?\n(?:[ -`]+\r?\n)+?end[ \t]*(?:\r?\n|$)", RegexOptions.Multiline, matchTimeoutMilliseconds: 2000)]
    private static partial Regex Block();
}
