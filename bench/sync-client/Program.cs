using System.Diagnostics;
using System.Globalization;
using Iqts.Client;

// Usage: dotnet run -c Release --project bench/sync-client -- <base url> <provider token> [limit] [passes]
// One client pages through the provider's whole trainee list with the generated C# SDK (limit=100 by default), every
// page decoded into the SDK's models, one request at a time, as a provider's SRS syncs. A warm-up pass, then the passes
// timed; prints records/s of the best and the median pass, and how many bytes a page is on the wire.
var baseUrl = args[0];
var token = args[1];
var limit = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100;
var passes = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 5;

var counter = new ByteCounter { InnerHandler = new SocketsHttpHandler() };
using var http = new HttpClient(counter);
http.DefaultRequestHeaders.Authorization = new("Bearer", token);
var iqts = new IqtsClient(baseUrl, http);

async Task<(int Records, int Pages)> SyncAsync()
{
    var (records, pages) = (0, 0);
    string? cursor = null;
    TraineeResponsePage page;
    do
    {
        page = await iqts.ListTraineesAsync(limit: limit, cursor: cursor);
        records += page.Items.Count;
        pages++;
        cursor = page.NextCursor;
    }
    while (page.HasMore);
    return (records, pages);
}

await SyncAsync();
counter.Reset();
var rates = new List<double>();
var (total, pageCount) = (0, 0);
for (var i = 0; i < passes; i++)
{
    var clock = Stopwatch.StartNew();
    (total, pageCount) = await SyncAsync();
    rates.Add(total / clock.Elapsed.TotalSeconds);
}

rates.Sort();
var bytesPerPage = counter.Bytes / (double)(pageCount * passes);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"SYNC records={total} limit={limit} pages={pageCount} best_rps={rates[^1]:F0} median_rps={rates[rates.Count / 2]:F0} bytes_per_page={bytesPerPage:F0}"));
return total > 0 ? 0 : 1;

/// <summary>Counts the response bytes read from the wire.</summary>
internal sealed class ByteCounter : DelegatingHandler
{
    private long _bytes;

    public long Bytes => Interlocked.Read(ref _bytes);

    public void Reset() => Interlocked.Exchange(ref _bytes, 0);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var response = await base.SendAsync(request, ct);
        await response.Content.LoadIntoBufferAsync(ct);
        Interlocked.Add(ref _bytes, response.Content.Headers.ContentLength ?? 0);
        return response;
    }
}
