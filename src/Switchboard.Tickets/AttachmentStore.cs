using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Switchboard.Tickets;

public sealed class AttachmentOptions
{
    public const string Section = "Switchboard:Attachments";

    /// <summary>Largest accepted file, in bytes.</summary>
    [Range(1, long.MaxValue)]
    public long MaxBytes { get; set; } = 25 * 1024 * 1024;

    /// <summary>Where files are kept; relative paths are inside the data directory.</summary>
    public string Path { get; set; } = "attachments";
}

public sealed record StoredFile(string Sha256, long Size);

/// <summary>Content-addressed file storage: a file is kept once, under its SHA-256, however many messages carry it.</summary>
public interface IAttachmentStore
{
    /// <summary>
    /// Stores the stream; throws <see cref="FileTooLargeException"/> past the size limit (the configured
    /// one unless <paramref name="maxBytes"/> says otherwise) and keeps nothing.
    /// </summary>
    Task<StoredFile> SaveAsync(Stream content, long maxBytes, CancellationToken ct);

    Task<StoredFile> SaveAsync(Stream content, CancellationToken ct);

    Stream OpenRead(string sha256);
}

public sealed class FileTooLargeException(long limit) : Exception($"The file is larger than the limit of {limit / (1024 * 1024.0):0.#} MB.")
{
    public long Limit { get; } = limit;
}

internal sealed class FileSystemAttachmentStore(IOptions<AttachmentOptions> options, string dataDirectory) : IAttachmentStore
{
    private readonly string _root = System.IO.Path.Combine(dataDirectory, options.Value.Path);

    /// <summary>
    /// Folders this store has seen exist (files are never removed, so they stay): a batch of mail keeps
    /// thousands of files, spread over 65,536 folders, and asking the file system again for each, or
    /// failing a write first to find one missing, costs more than the write.
    /// </summary>
    private readonly ConcurrentDictionary<string, bool> _folders = new(StringComparer.Ordinal);

    public Task<StoredFile> SaveAsync(Stream content, CancellationToken ct) => SaveAsync(content, options.Value.MaxBytes, ct);

    public async Task<StoredFile> SaveAsync(Stream content, long maxBytes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (content is MemoryStream memory && memory.TryGetBuffer(out var inMemory))
        {
            return await SaveBytesAsync(memory, inMemory, maxBytes, ct);
        }

        var limit = maxBytes;
        Directory.CreateDirectory(System.IO.Path.Combine(_root, "tmp"));
        var temp = System.IO.Path.Combine(_root, "tmp", Guid.NewGuid().ToString("N"));
        long size = 0;
        string hash;
        try
        {
            using (var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await content.ReadAsync(buffer, ct)) > 0)
                {
                    size += read;
                    if (size > limit) throw new FileTooLargeException(limit);
                    sha.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                }
                hash = Convert.ToHexStringLower(sha.GetHashAndReset());
            }
            var target = PathFor(hash);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            if (File.Exists(target)) File.Delete(temp);
            else File.Move(temp, target, overwrite: true);
            return new StoredFile(hash, size);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>
    /// Content already in memory (fetched mail and its attachments): hashed first, so a file that is
    /// already kept costs no write at all; otherwise written to a temporary file and renamed into
    /// place, so a reader never sees part of a file. Synchronous file calls: for files this small the
    /// asynchronous ones only add thread-pool hops.
    /// </summary>
    private async Task<StoredFile> SaveBytesAsync(MemoryStream memory, ArraySegment<byte> buffer, long maxBytes, CancellationToken ct)
    {
        var bytes = buffer.AsMemory((int)memory.Position);
        if (bytes.Length > maxBytes) throw new FileTooLargeException(maxBytes);
        memory.Position = memory.Length;
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes.Span));
        var target = PathFor(hash);
        // A file's folder that did not exist a moment ago cannot hold it: then it is new without asking.
        if (!EnsureFolder(System.IO.Path.GetDirectoryName(target)!) && File.Exists(target)) return new StoredFile(hash, bytes.Length);

        var tempFolder = System.IO.Path.Combine(_root, "tmp");
        var temp = System.IO.Path.Combine(tempFolder, Guid.NewGuid().ToString("N"));
        try
        {
            EnsureFolder(tempFolder);
            try
            {
                await WriteAsync(temp, bytes, ct);
                File.Move(temp, target, overwrite: true);
            }
            catch (DirectoryNotFoundException)
            {
                // A folder was removed behind the store's back: forget what it knew and make them again.
                _folders.Clear();
                EnsureFolder(tempFolder);
                EnsureFolder(System.IO.Path.GetDirectoryName(target)!);
                if (!File.Exists(temp)) await WriteAsync(temp, bytes, ct);
                File.Move(temp, target, overwrite: true);
            }
            return new StoredFile(hash, bytes.Length);
        }
        catch
        {
            if (File.Exists(temp)) File.Delete(temp);
            throw;
        }
    }

    /// <summary>Makes sure <paramref name="folder"/> exists; true when it had to be created just now (so it is empty).</summary>
    private bool EnsureFolder(string folder)
    {
        if (_folders.ContainsKey(folder)) return false;
        var created = !Directory.Exists(folder);
        if (created) Directory.CreateDirectory(folder);
        _folders.TryAdd(folder, true);
        return created;
    }

    private static async Task WriteAsync(string path, ReadOnlyMemory<byte> bytes, CancellationToken ct)
    {
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, useAsync: false);
        await file.WriteAsync(bytes, ct);
    }

    public Stream OpenRead(string sha256) =>
        new FileStream(PathFor(sha256), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);

    private string PathFor(string sha256)
    {
        if (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigitLower)) throw new ArgumentException("Not a SHA-256.", nameof(sha256));
        return System.IO.Path.Combine(_root, sha256[..2], sha256[2..4], sha256);
    }
}
