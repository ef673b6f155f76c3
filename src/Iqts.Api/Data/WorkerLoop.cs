namespace Iqts.Api.Data;

/// <summary>The loop of the workers that drain a queue.</summary>
public static class WorkerLoop
{
    /// <summary>
    /// A worker that drains a queue (the TRA outbox, webhook deliveries, batches): one pass after another until
    /// the app stops. A pass that throws is logged and the next one retries, since an exception out of a
    /// <see cref="BackgroundService"/> would stop the whole host; after a pass that found nothing to do (or failed), the
    /// worker waits for <paramref name="idle"/> (a poll interval, or a pulse that ends it early).
    /// </summary>
    public static async Task RunAsync(Func<CancellationToken, Task<bool>> pass, Func<CancellationToken, Task> idle, Action<Exception> failed,
        CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var busy = false;
            try
            {
                busy = await pass(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                failed(ex);
            }

            if (!busy)
            {
                // A wait cancelled by the stop ends quietly; the loop's condition then ends the worker.
                await idle(stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
