// Written by hand (the rest of this SDK is generated): a batch's CSV upload, which the generated client sends only as
// JSON, and waiting for a batch that answered 202 to finish.
using System.Net.Http.Headers;
using System.Text.Json;

namespace Iqts.Client;

public partial class IqtsClient
{
    /// <summary>
    /// POST /trainee-batches with a CSV (UTF-8, the header of GET /trainee-batches/template.csv), streamed as it is read.
    /// The batch as first answered: finished (201) or still at work (202; wait for it with <see cref="WaitForTraineeBatchAsync"/>).
    /// A refusal of the whole file (batch.csv_header, batch.csv_encoding, …) throws <see cref="IqtsApiException{ApiProblem}"/>.
    /// </summary>
    public virtual async Task<BatchResponse> CreateTraineeBatchFromCsvAsync(Stream csv, bool? dryRun = null, bool? confirmNotDuplicate = null,
        string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        var query = new List<string>();
        if (dryRun is { } dry)
        {
            query.Add("dryRun=" + (dry ? "true" : "false"));
        }

        if (confirmNotDuplicate is { } confirm)
        {
            query.Add("confirmNotDuplicate=" + (confirm ? "true" : "false"));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, $"{BaseUrl}api/v1/trainee-batches{(query.Count > 0 ? "?" + string.Join("&", query) : "")}");
        request.Content = new StreamContent(csv);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/csv") { CharSet = "utf-8" };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        using var response = await _httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var headers = response.Headers.Concat(response.Content.Headers).ToDictionary(h => h.Key, h => h.Value);
        if (response.IsSuccessStatusCode)
        {
            return JsonSerializer.Deserialize<BatchResponse>(text, JsonSerializerSettings)
                ?? throw new IqtsApiException("The batch's answer was empty.", (int)response.StatusCode, text, headers, null);
        }

        var problem = JsonSerializer.Deserialize<ApiProblem>(text, JsonSerializerSettings);
        throw new IqtsApiException<ApiProblem>(problem?.Title ?? "The batch was refused.", (int)response.StatusCode, text, headers, problem!, null);
    }

    /// <summary>Polls GET /trainee-batches/{batchId} until the batch has succeeded or failed (every <paramref name="pollInterval"/>, 500 ms by default).</summary>
    public Task<BatchResponse> WaitForTraineeBatchAsync(string batchId, TimeSpan? pollInterval = null, CancellationToken cancellationToken = default) =>
        WaitAsync(() => GetTraineeBatchAsync(batchId, cancellationToken), pollInterval, cancellationToken);

    /// <summary>Polls GET /award-batches/{batchId} until the batch has succeeded or failed.</summary>
    public Task<BatchResponse> WaitForAwardBatchAsync(string batchId, TimeSpan? pollInterval = null, CancellationToken cancellationToken = default) =>
        WaitAsync(() => GetAwardBatchAsync(batchId, cancellationToken), pollInterval, cancellationToken);

    private static async Task<BatchResponse> WaitAsync(Func<Task<BatchResponse>> read, TimeSpan? pollInterval, CancellationToken cancellationToken)
    {
        while (true)
        {
            var batch = await read().ConfigureAwait(false);
            if (batch.Status is BatchStatus.Succeeded or BatchStatus.Failed)
            {
                return batch;
            }

            await Task.Delay(pollInterval ?? TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
        }
    }
}
