namespace Switchboard.Email.Parsing;

/// <summary>
/// Decodes base64 the way mail clients do: characters outside the alphabet are skipped, and a final
/// quantum of two or three characters still yields its one or two bytes, padded or not.
/// </summary>
internal static class LenientBase64
{
    private static readonly sbyte[] Values = CreateTable();

    public static byte[] Decode(ReadOnlySpan<byte> encoded)
    {
        var output = new byte[encoded.Length / 4 * 3 + 3];
        int length = 0, bits = 0, count = 0;
        foreach (var c in encoded)
        {
            if (c == (byte)'=')
            {
                break;
            }

            var value = Values[c];
            if (value < 0)
            {
                continue;
            }

            bits = (bits << 6) | (byte)value;
            if (++count == 4)
            {
                output[length++] = (byte)(bits >> 16);
                output[length++] = (byte)(bits >> 8);
                output[length++] = (byte)bits;
                bits = 0;
                count = 0;
            }
        }

        if (count == 2)
        {
            output[length++] = (byte)(bits >> 4);
        }
        else if (count == 3)
        {
            output[length++] = (byte)(bits >> 10);
            output[length++] = (byte)(bits >> 2);
        }

        return output[..length];
    }

    private static sbyte[] CreateTable()
    {
        var table = new sbyte[256];
        Array.Fill(table, (sbyte)-1);
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (var i = 0; i < alphabet.Length; i++)
        {
            table[alphabet[i]] = (sbyte)i;
        }

        return table;
    }
}
