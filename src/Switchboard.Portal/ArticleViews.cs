using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Core.Data;

namespace Switchboard.Portal;

/// <summary>
/// Article views are counted in memory and written in one transaction every few seconds: a write
/// per page view would make every reader wait for the database's single writer (SQLite) for a
/// number nobody needs to the second. Counts not yet written are added wherever a count is shown.
/// </summary>
internal sealed class ArticleViews
{
    private readonly Lock _lock = new();
    private Dictionary<long, int> _pending = [];

    public void Count(long articleId)
    {
        lock (_lock) _pending[articleId] = _pending.GetValueOrDefault(articleId) + 1;
    }

    public int Pending(long articleId)
    {
        lock (_lock) return _pending.GetValueOrDefault(articleId);
    }

    public async Task FlushAsync(SwitchboardDb db, CancellationToken ct)
    {
        Dictionary<long, int> batch;
        lock (_lock)
        {
            if (_pending.Count == 0) return;
            batch = _pending;
            _pending = [];
        }
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            foreach (var (id, views) in batch)
            {
                await db.KbArticles.Where(a => a.Id == id).ExecuteUpdateAsync(s => s.SetProperty(a => a.ViewCount, a => a.ViewCount + views), ct);
            }
            await transaction.CommitAsync(ct);
        }
        catch
        {
            // Not written: counted again with the next flush.
            lock (_lock)
            {
                foreach (var (id, views) in batch) _pending[id] = _pending.GetValueOrDefault(id) + views;
            }
            throw;
        }
    }
}

internal sealed class ArticleViewsWorker(ArticleViews views, IServiceScopeFactory scopes, IOptions<PortalOptions> options, ILogger<ArticleViewsWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ViewFlushInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) await FlushAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // What was counted since the last tick is written before the host stops.
        await FlushAsync(cancellationToken);
    }

    private async Task FlushAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await views.FlushAsync(scope.ServiceProvider.GetRequiredService<SwitchboardDb>(), ct);
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
        {
            logger.LogWarning(e, "Article view counts could not be written; they are kept for the next try.");
        }
    }
}
