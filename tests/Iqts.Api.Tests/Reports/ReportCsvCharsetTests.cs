using System.Net;
using System.Text;
using Iqts.Api.Tests.Infrastructure;

namespace Iqts.Api.Tests.Reports;

/// <summary>
/// Issue 18, fault 8: the CSV said <c>text/csv</c> without a charset, and a client that falls back to Latin-1 garbled
/// every non-ASCII name. The answer names its charset, and a client that decodes by it reads the name back.
/// </summary>
public sealed class ReportCsvCharsetTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Both_csv_reports_say_utf_8_and_a_non_ascii_name_reads_back()
    {
        const string name = "Université de Genève – École Normale";
        var dfe = await api.ClientForAsync("dfe");
        var created = await dfe.PostJsonAsync("/api/v1/providers", Fixtures.Provider(Fixtures.NewUkprn(), change: p => p["name"] = name));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        foreach (var path in new[] { "/api/v1/reports/monthly?month=2026-02", "/api/v1/reports/annual?academicYear=2025" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.TryAddWithoutValidation("Accept", "text/csv");
            var response = await dfe.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var type = response.Content.Headers.ContentType!;
            Assert.Equal("text/csv", type.MediaType);
            Assert.Equal("utf-8", type.CharSet);
            var text = Encoding.GetEncoding(type.CharSet!).GetString(await response.Content.ReadAsByteArrayAsync());
            Assert.Contains(name, text, StringComparison.Ordinal);
        }
    }
}
