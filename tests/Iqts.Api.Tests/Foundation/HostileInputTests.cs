using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Iqts.Api.Events;
using Iqts.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Iqts.Api.Tests.Foundation;

/// <summary>
/// Hostile input generated from the committed contract, so every operation it lists (today's and every one added later)
/// is covered. Each case bends one thing of an otherwise valid request: a body property (missing, null, every wrong
/// type, its edges, over-long, odd Unicode), the whole body, its media type, a path id, a query value or a header.
/// Each answer must be below 500; a 4xx must be problem+json with an errorCode; its status must be one the contract
/// lists for the operation; and a refused request must leave the database exactly as it was (every table's rows and
/// versions, bar the idempotency replay store).
/// </summary>
public sealed class HostileInputTests(HostileInputTests.Fixture fixture, ITestOutputHelper output) : IClassFixture<HostileInputTests.Fixture>
{
    /// <summary>At least this many cases per write operation (the issue's floor).</summary>
    private const int MinimumWriteCases = 200;
    private const int MinimumBarePostCases = 150;

    public static TheoryData<string, string> Operations()
    {
        var data = new TheoryData<string, string>();
        foreach (var (path, method, _) in Contract.Operations())
        {
            data.Add(method, path);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task No_input_yields_a_500_or_an_unlisted_status_or_a_partial_write(string method, string path)
    {
        var operation = Contract.Operations().Single(o => o.Method == method && o.Path == path).Operation;
        var listed = operation.GetProperty("responses").EnumerateObject().Select(r => int.Parse(r.Name, CultureInfo.InvariantCulture)).ToHashSet();
        var role = await fixture.RoleForAsync(method, path, operation);
        var cases = Cases.For(method, path, operation, fixture).ToList();
        var isWrite = method is "post" or "put" or "patch" or "delete";
        // A write with neither a body nor a path parameter (POST /test-data/clear) has only the header, query and odd-body cases.
        var floor = Contract.RequestBody(operation) is null && !Cases.PathParameters(path).Any() ? MinimumBarePostCases : MinimumWriteCases;
        Assert.True(!isWrite || cases.Count >= floor, $"{method.ToUpperInvariant()} {path}: only {cases.Count} cases generated");

        var failures = new List<string>();
        foreach (var hostile in cases)
        {
            var request = await fixture.BuildAsync(method, path, operation, role, hostile);
            var before = await fixture.FingerprintAsync();
            var response = await fixture.Api.CreateClient().SendAsync(request);
            var status = (int)response.StatusCode;
            var body = await response.Content.ReadAsStringAsync();
            var where = $"{hostile.Name} → {status}";
            if (status >= 500)
            {
                failures.Add($"{where}: a 5xx: {Truncate(body)}");
                continue;
            }

            if (!listed.Contains(status))
            {
                failures.Add($"{where}: the contract does not list {status} for this operation");
            }

            if (status >= 400)
            {
                if (response.Content.Headers.ContentType?.MediaType != "application/problem+json" || !HasErrorCode(body))
                {
                    failures.Add($"{where}: not problem+json with an errorCode: {Truncate(body)}");
                }

                var after = await fixture.FingerprintAsync();
                if (after != before)
                {
                    failures.Add($"{where}: refused, yet the database changed ({before} → {after})");
                }
            }
        }

        Fixture.Report[$"{method.ToUpperInvariant()} {path}"] = cases.Count;
        output.WriteLine($"{method.ToUpperInvariant()} {path}: {cases.Count} cases, {failures.Count} failures");
        Assert.True(failures.Count == 0, $"{method.ToUpperInvariant()} {path}:\n" + string.Join("\n", failures.Take(25)));
    }

    private static bool HasErrorCode(string body)
    {
        try
        {
            return JsonDocument.Parse(body).RootElement.TryGetProperty("errorCode", out var code) && !string.IsNullOrEmpty(code.GetString());
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Truncate(string text) => text.Length > 300 ? text[..300] + "…" : text;

    /// <summary>One bent request: what it changes, and the pieces it sends.</summary>
    public sealed record Hostile(string Name)
    {
        /// <summary>The raw body bytes; null sends the baseline body.</summary>
        public byte[]? Body { get; init; }

        /// <summary>The media type; null keeps the operation's own, "" sends none.</summary>
        public string? ContentType { get; init; }

        public IReadOnlyDictionary<string, string>? PathValues { get; init; }

        public string? Query { get; init; }

        public IReadOnlyDictionary<string, string>? Headers { get; init; }
    }

    /// <summary>The committed contract's operations, with schema lookups.</summary>
    public static class Contract
    {
        private static readonly Lazy<JsonElement> Document = new(() =>
            JsonDocument.Parse(File.ReadAllText(ContractTests.RepoFile("openapi", "iqts-api.v1.json"))).RootElement);

        public static JsonElement Root => Document.Value;

        public static IEnumerable<(string Path, string Method, JsonElement Operation)> Operations() =>
            Root.GetProperty("paths").EnumerateObject()
                .SelectMany(p => p.Value.EnumerateObject().Select(o => (p.Name, o.Name, o.Value)));

        /// <summary>A schema with its $ref and single-entry allOf resolved.</summary>
        public static JsonElement Resolve(JsonElement schema)
        {
            while (true)
            {
                if (schema.TryGetProperty("$ref", out var reference))
                {
                    schema = Root.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1]);
                }
                else if (schema.TryGetProperty("allOf", out var all) && all.GetArrayLength() == 1)
                {
                    schema = all[0];
                }
                else
                {
                    return schema;
                }
            }
        }

        public static string? SchemaName(JsonElement schema) =>
            schema.TryGetProperty("$ref", out var reference) ? reference.GetString()!.Split('/')[^1]
            : schema.TryGetProperty("allOf", out var all) && all.GetArrayLength() == 1 ? SchemaName(all[0])
            : null;

        public static (string MediaType, JsonElement Schema)? RequestBody(JsonElement operation) =>
            operation.TryGetProperty("requestBody", out var body)
                ? body.GetProperty("content").EnumerateObject().Select(c => (c.Name, c.Value.GetProperty("schema"))).First()
                : null;

        /// <summary>A value that fits the schema, for properties no builder fills.</summary>
        public static JsonNode? Sample(JsonElement schema, int depth = 0)
        {
            schema = Resolve(schema);
            if (schema.TryGetProperty("enum", out var values))
            {
                return JsonNode.Parse(values[0].GetRawText());
            }

            var type = schema.TryGetProperty("type", out var t) ? t.GetString() : "object";
            var format = schema.TryGetProperty("format", out var f) ? f.GetString() : null;
            return type switch
            {
                "string" => format switch
                {
                    "date" => "2025-10-01",
                    "date-time" => "2026-01-01T00:00:00Z",
                    "uuid" => Guid.NewGuid().ToString(),
                    _ => "sample",
                },
                "integer" => 1,
                "number" => 1.5,
                "boolean" => false,
                "array" => schema.TryGetProperty("items", out var items) ? new JsonArray(Sample(items, depth + 1)) : new JsonArray(),
                _ when depth > 4 => new JsonObject(),
                _ => new JsonObject(Required(schema).Select(p => KeyValuePair.Create(p.Name, Sample(p.Schema, depth + 1)))),
            };
        }

        public static IEnumerable<(string Name, JsonElement Schema)> Properties(JsonElement schema) =>
            Resolve(schema).TryGetProperty("properties", out var properties)
                ? properties.EnumerateObject().Select(p => (p.Name, p.Value))
                : [];

        private static IEnumerable<(string Name, JsonElement Schema)> Required(JsonElement schema)
        {
            var required = schema.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(x => x.GetString()).ToHashSet() : [];
            return Properties(schema).Where(p => required.Contains(p.Name));
        }
    }

    /// <summary>The cases for one operation.</summary>
    public static class Cases
    {
        private static readonly (string Name, string Json)[] Values =
        [
            ("null", "null"), ("zero", "0"), ("negative", "-1"), ("a fraction", "1.5"), ("true", "true"), ("huge number", "1e400"),
            ("int overflow", "2147483648"), ("long overflow", "99999999999999999999"), ("empty string", "\"\""), ("blank string", "\"   \""),
            ("a word", "\"x\""), ("a number as a string", "\"1\""), ("an empty array", "[]"), ("an array of null", "[null]"),
            ("an array of 2000", "[" + string.Join(",", Enumerable.Repeat("\"100403\"", 2000)) + "]"), ("an empty object", "{}"),
            ("an object", "{\"a\":1}"), ("a far date", "\"9999-12-31\""), ("a zero date", "\"0000-00-00\""), ("a date with time", "\"2025-01-01T10:00:00\""),
            ("an impossible date", "\"2025-02-30\""), ("a date too early", "\"1800-01-01\""), ("a timestamp", "\"2025-01-01T00:00:00Z\""),
            ("301 characters", "\"" + new string('a', 301) + "\""), ("20,000 characters", "\"" + new string('b', 20_000) + "\""),
            ("a NUL", "\"a\\u0000b\""), ("a control character", "\"a\\u0007b\""), ("a lone high surrogate", "\"a\\ud800b\""),
            ("a lone low surrogate", "\"\\udc00\""), ("a reversed pair", "\"\\udc00\\ud800\""), ("U+FFFF", "\"\\uffff\""),
            ("a right-to-left override", "\"abc\\u202edef\""), ("a zero-width space", "\"\\u200b\""), ("an emoji", "\"\\ud83d\\ude00\""),
            ("combining marks", "\"e\\u0301\\u0301\\u0301\""), ("SQL", "\"' OR 1=1 --\""), ("markup", "\"<script>alert(1)</script>\""),
            ("a path", "\"../../etc/passwd\""), ("Arabic digits", "\"\\u0661\\u0662\\u0663\""), ("a UUID", "\"" + Guid.Empty + "\""),
            ("a long code", "\"1000000000000000000000000000000\""), ("an unknown enum", "\"not_a_value\""), ("an upper-case enum", "\"APPROVED\""),
            ("an enum as a number", "1"), ("a number with a plus", "\"+1\""), ("a negative zero", "-0"), ("an exponent", "1e2"),
        ];

        private static readonly (string Name, byte[] Bytes, string? ContentType)[] Bodies =
        [
            ("an empty body", [], null), ("the JSON null", Encoding.UTF8.GetBytes("null"), null), ("an array", Encoding.UTF8.GetBytes("[]"), null),
            ("a string", Encoding.UTF8.GetBytes("\"text\""), null), ("a number", Encoding.UTF8.GetBytes("42"), null),
            ("a lone brace", Encoding.UTF8.GetBytes("{"), null), ("truncated", Encoding.UTF8.GetBytes("{\"a\":"), null),
            ("a trailing comma", Encoding.UTF8.GetBytes("{\"a\":1,}"), null), ("single quotes", Encoding.UTF8.GetBytes("{'a':1}"), null),
            ("a comment", Encoding.UTF8.GetBytes("{/* c */}"), null), ("two documents", Encoding.UTF8.GetBytes("{}{}"), null),
            ("not JSON", Encoding.UTF8.GetBytes("hello"), null), ("invalid UTF-8", [0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xFF, 0xFE, 0x22, 0x7D], null),
            ("UTF-16", Encoding.Unicode.GetBytes("{\"a\":1}"), null), ("nested 100 deep", Encoding.UTF8.GetBytes(new string('[', 100) + new string(']', 100)), null),
            ("nested objects 40 deep", Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", 40)) + "1" + new string('}', 40)), null),
            ("a huge array", Encoding.UTF8.GetBytes("[" + string.Join(",", Enumerable.Repeat("1", 50_000)) + "]"), null),
            ("over the size limit", Encoding.UTF8.GetBytes("{\"a\":\"" + new string('x', 300 * 1024) + "\"}"), null),
            ("a NUL outside strings", [0x7B, 0x00, 0x7D], null),
            ("text/plain", Encoding.UTF8.GetBytes("{}"), "text/plain"), ("XML", Encoding.UTF8.GetBytes("<a/>"), "application/xml"),
            ("no media type", Encoding.UTF8.GetBytes("{}"), ""), ("a form", Encoding.UTF8.GetBytes("a=1"), "application/x-www-form-urlencoded"),
            ("JSON as latin-1", Encoding.Latin1.GetBytes("{\"a\":\"é\"}"), "application/json; charset=iso-8859-1"),
            ("a bogus media type", Encoding.UTF8.GetBytes("{}"), "application/json; boundary"),
            ("multipart", Encoding.UTF8.GetBytes("--x\r\n\r\n{}\r\n--x--"), "multipart/form-data; boundary=x"),
        ];

        private static readonly string[] Ids =
        [
            // (No %00: the test server's client refuses a NUL in a path before the app sees it; Kestrel answers such a request 400 itself.)
            // (No empty id or dot segments either: they make another route, e.g. PATCH /trainees/, which answers 405.)
            "x", "0", "-1", "00000000-0000-0000-0000-000000000000", "not-a-guid", "%01", "%20", "a%2Fb", "%E2%80%AE",
            "%F0%9F%98%80", "%FF", new string('9', 500), "10000000", "99999999", "' OR 1=1", "%22%3E%3Cscript%3E", "null", "undefined",
            "{00000000-0000-0000-0000-000000000000}", "00000000000000000000000000000000", "%7B%7D", "%E2%80%8B", "1e9", "0x10", "-0",
            "true", "%5B%5D", "%09", "a.b", "1.5", "%C0%AF",
            "%E2%80%8E", "%EF%BB%BF", "a%5Cb", "..%2F..%2Fetc%2Fpasswd", "%25", "~", "%0D%0A", "%C2%A0", "1%2C2", "%3B", "(SELECT 1)", "%60", "NaN", "Infinity",
        ];

        private static readonly (string Name, string Query)[] Queries =
        [
            ("limit=-1", "limit=-1"), ("limit=0", "limit=0"), ("limit=101", "limit=101"), ("limit=abc", "limit=abc"), ("limit=1e9", "limit=1000000000"),
            ("limit overflow", "limit=99999999999"), ("a foreign cursor", "cursor=bogus"), ("a cursor of NUL", "cursor=%00"),
            ("a negative cursor", "cursor=YzE6LTE"), ("an unknown status", "status=paused"), ("a status of NUL", "status=%00"),
            ("a bad updatedSince", "updatedSince=yesterday"), ("an updatedSince of 9999", "updatedSince=9999-12-31T23:59:59Z"),
            ("an unknown parameter", "foo=bar"), ("a lone surrogate", "trainingCountry=%ED%A0%80"), ("a long value", "trainingCountry=" + new string('Z', 3000)),
            ("a repeated parameter", "limit=1&limit=2"), ("an unknown country", "trainingCountry=QQ"), ("confirmNotDuplicate=maybe", "confirmNotDuplicate=maybe"),
            ("approvalStatus of NUL", "approvalStatus=%00"), ("a bare key", "limit"), ("an empty value", "limit="),
            ("an unknown eligibility", "eligibility=maybe"), ("a cursor of 4,000 characters", "cursor=" + new string('Y', 4000)),
            ("an encoded ampersand", "limit=1%26limit=2"), ("a plus in a date", "updatedSince=2026-01-01T00:00:00+01:00"),
            ("an updatedSince without an offset", "updatedSince=2026-01-01T00:00:00"), ("an updatedSince that is a date", "updatedSince=2026-01-01"),
            ("an updatedSince in lower case", "updatedSince=2026-01-01t00:00:00z"), ("types of an unknown event", "types=trainee.nonsense"), ("types of ping", "types=ping"),
            ("types empty", "types="), ("types of NUL", "types=%00"), ("types repeated", "types=trainee.registered&types=x"),
            ("a bidi override in a value", "trainingCountry=IN%E2%80%AE"), ("a zero-width value", "trainingCountry=%E2%80%8B"), ("a decomposed accent", "trainingCountry=E%CC%81"),
            ("limit with a plus", "limit=%2B5"), ("limit padded", "limit=%2010"), ("a cursor far ahead", "cursor=YzE6OTk5OTk5OQ"),
        ];

        private static readonly (string Name, string Header, string Value)[] Headers =
        [
            ("If-Match garbage", "If-Match", "garbage"), ("If-Match weak", "If-Match", "W/\"1\""), ("If-Match stale", "If-Match", "\"999999\""),
            ("If-Match empty", "If-Match", ""), ("If-Match negative", "If-Match", "\"-1\""), ("If-Match overflow", "If-Match", "\"99999999999999999999\""),
            ("If-None-Match", "If-None-Match", "*"), ("Idempotency-Key empty", "Idempotency-Key", ""),
            ("Idempotency-Key long", "Idempotency-Key", new string('k', 300)), ("Idempotency-Key with a space", "Idempotency-Key", "a b"),
            ("Idempotency-Key non-ASCII", "Idempotency-Key", "clé"), ("Accept XML", "Accept", "application/xml"), ("Accept nonsense", "Accept", "///"),
            ("Accept-Charset", "Accept-Charset", "utf-7"), ("Authorization Basic", "Authorization", "Basic dXNlcjpwYXNz"),
            ("Authorization empty bearer", "Authorization", "Bearer "), ("Authorization unknown", "Authorization", "Bearer iqts_unknown"),
            ("Authorization long", "Authorization", "Bearer iqts_" + new string('a', 4000)), ("Content-Encoding gzip", "Content-Encoding", "gzip"),
            ("X-Forwarded-For", "X-Forwarded-For", "127.0.0.1, 10.0.0.1"), ("a huge header", "X-Padding", new string('p', 6000)),
            ("api-version", "api-version", "2.0"), ("Expect", "Expect", "100-continue"), ("a method override", "X-HTTP-Method-Override", "DELETE"),
            ("Prefer", "Prefer", "return=minimal"), ("Range", "Range", "bytes=0-10"), ("Origin", "Origin", "https://evil.example"),
            ("Cookie", "Cookie", "a=b"), ("a huge User-Agent", "User-Agent", new string('u', 3000)), ("Content-Language", "Content-Language", "xx"),
            ("If-Modified-Since", "If-Modified-Since", "yesterday"), ("If-Unmodified-Since", "If-Unmodified-Since", "Mon, 01 Jan 1990 00:00:00 GMT"),
            ("a lower-case bearer", "Authorization", "bearer iqts_x"), ("a bearer with no space", "Authorization", "Bearer"),
            ("If-Match a list", "If-Match", "\"1\", \"2\", W/\"3\""), ("If-Match star and tag", "If-Match", "*, \"1\""),
            ("Accept problem", "Accept", "application/problem+json"), ("Accept CSV", "Accept", "text/csv"), ("Accept-Encoding", "Accept-Encoding", "br;q=x"),
        ];

        public static IEnumerable<Hostile> For(string method, string path, JsonElement operation, Fixture fixture)
        {
            var body = Contract.RequestBody(operation);
            if (body is { } batch && Contract.Resolve(batch.Schema).TryGetProperty("items", out var row))
            {
                // A batch: every case of one row, sent as a batch of that row (a whole-body case stays as it is).
                foreach (var hostile in BodyCases(row, () => Fixture.Baseline(row)))
                {
                    yield return hostile.Name.StartsWith("the whole body", StringComparison.Ordinal) ? hostile
                        : hostile with { Name = "row: " + hostile.Name, Body = [(byte)'[', .. hostile.Body!, (byte)']'] };
                }

                foreach (var (name, bytes, contentType) in Bodies)
                {
                    yield return new Hostile($"body: {name}") { Body = bytes, ContentType = contentType };
                }
            }
            else if (body is { } request)
            {
                foreach (var hostile in BodyCases(request.Schema, () => Fixture.Baseline(request.Schema)))
                {
                    yield return hostile;
                }

                foreach (var (name, bytes, contentType) in Bodies)
                {
                    yield return new Hostile($"body: {name}") { Body = bytes, ContentType = contentType };
                }
            }
            else
            {
                // A body where none belongs, and one over the limit; a bodiless write gets every odd body too.
                yield return new Hostile("a body on a bodiless operation") { Body = Encoding.UTF8.GetBytes("{\"a\":1}"), ContentType = "application/json" };
                yield return new Hostile("an oversized body on a bodiless operation") { Body = new byte[300 * 1024], ContentType = "application/json" };
                if (method is not "get")
                {
                    foreach (var (name, bytes, contentType) in Bodies)
                    {
                        yield return new Hostile($"body: {name}") { Body = bytes, ContentType = contentType ?? "application/json" };
                    }

                    foreach (var (name, json) in Values)
                    {
                        yield return new Hostile($"the whole body {name}") { Body = Encoding.UTF8.GetBytes(json), ContentType = "application/json" };
                    }
                }
            }

            foreach (var parameter in PathParameters(path))
            {
                foreach (var id in Ids)
                {
                    yield return new Hostile($"path {parameter} = '{(id.Length > 20 ? id[..20] + "…" : id)}'") { PathValues = new Dictionary<string, string> { [parameter] = id } };
                }

                yield return new Hostile($"path {parameter} of another provider") { PathValues = new Dictionary<string, string> { [parameter] = Fixture.OtherProvider } };
            }

            foreach (var (name, query) in Queries)
            {
                yield return new Hostile($"query {name}") { Query = query };
            }

            foreach (var (name, header, value) in Headers)
            {
                yield return new Hostile($"header {name}") { Headers = new Dictionary<string, string> { [header] = value } };
            }
        }

        public static IEnumerable<string> PathParameters(string path) =>
            path.Split('/').Where(s => s.StartsWith('{')).Select(s => s.Trim('{', '}'));

        /// <summary>Each property of the body (one level into objects), bent every way; plus an unknown member.</summary>
        private static IEnumerable<Hostile> BodyCases(JsonElement schema, Func<JsonObject> baseline)
        {
            foreach (var (field, propertySchema) in Contract.Properties(schema))
            {
                yield return Bent(baseline(), $"'{field}' missing", b => b.Remove(field));
                foreach (var (name, json) in Values)
                {
                    yield return BentRaw(baseline(), field, null, json, $"'{field}' {name}");
                }

                if (Contract.Resolve(propertySchema) is var resolved && resolved.TryGetProperty("properties", out _))
                {
                    foreach (var (inner, _) in Contract.Properties(propertySchema))
                    {
                        foreach (var (name, json) in Values.Take(12))
                        {
                            yield return BentRaw(baseline(), field, inner, json, $"'{field}.{inner}' {name}");
                        }
                    }
                }
            }

            foreach (var (name, json) in Values)
            {
                yield return new Hostile($"the whole body {name}") { Body = Encoding.UTF8.GetBytes(json) };
            }

            yield return Bent(baseline(), "an unknown member", b => b["favouriteColour"] = "red");
            yield return Bent(baseline(), "an unknown member set to null", b => b["favouriteColour"] = null);
            yield return Bent(baseline(), "a member in upper case", b => b["UKPRN"] = "10000001");
            var valid = baseline();
            yield return new Hostile("a duplicated member") { Body = Encoding.UTF8.GetBytes(valid.ToJsonString()[..^1] + (valid.Count > 0 ? "," : "") + "\"a\":1,\"a\":2}") };
            yield return new Hostile("the valid body with a BOM") { Body = [.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(baseline().ToJsonString())] };
        }

        private static Hostile Bent(JsonObject baseline, string name, Action<JsonObject> bend)
        {
            var copy = baseline.DeepClone().AsObject();
            bend(copy);
            return new Hostile(name) { Body = Encoding.UTF8.GetBytes(copy.ToJsonString()) };
        }

        /// <summary>Sets a member to raw JSON text (so escapes such as a lone surrogate reach the server as written).</summary>
        private static Hostile BentRaw(JsonObject baseline, string field, string? inner, string json, string name)
        {
            var copy = baseline.DeepClone().AsObject();
            const string marker = "\"__HOSTILE__\"";
            if (inner is null)
            {
                copy[field] = "__HOSTILE__";
            }
            else
            {
                var nested = copy[field] as JsonObject ?? [];
                nested[inner] = "__HOSTILE__";
                copy[field] = nested.DeepClone();
            }

            return new Hostile(name) { Body = Encoding.UTF8.GetBytes(copy.ToJsonString().Replace(marker, json, StringComparison.Ordinal)) };
        }
    }

    /// <summary>One API on a fresh database, with a provider and the tokens of every role.</summary>
    public sealed class Fixture : ApiFactory
    {
        /// <summary>A trainee id, UKPRN or school id that belongs to another provider.</summary>
        public static string OtherProvider { get; private set; } = "";

        public static ConcurrentDictionary<string, int> Report { get; } = new();

        /// <summary>A suitable school of the test's provider, for placement bodies.</summary>
        public static string HostileSchool { get; private set; } = "";

        /// <summary>The two schools of the trainees the test awards.</summary>
        private (string First, string Second) Schools { get; set; }

        private readonly Dictionary<string, string> _tokens = [];
        private readonly Dictionary<string, Dictionary<string, string>> _readTargets = [];
        private string _ukprn = "";
        private string _trainee = "";

        public ApiFactory Api => this;

        public async Task SetUpAsync()
        {
            if (_tokens.Count > 0)
            {
                return;
            }

            _ukprn = await this.CreateProviderAsync(mayExceedCap: true);
            var other = await this.CreateProviderAsync();
            _tokens["provider"] = await TokenAsync("provider", _ukprn);
            _tokens["dfe"] = await TokenAsync("dfe");
            _tokens["tra"] = await TokenAsync("tra");
            _trainee = (await this.SeedTraineesAsync(_ukprn, 1))[0].TraineeId.ToString();
            HostileSchool = await this.CreateSchoolAsync(_ukprn);
            Schools = (HostileSchool, await this.CreateSchoolAsync(_ukprn));
            OtherProvider = (await this.SeedTraineesAsync(other, 1))[0].TraineeId.ToString();
        }

        /// <summary>The role whose valid request reaches the operation (not 401 or 403), so the cases test its own rules.</summary>
        public async Task<string?> RoleForAsync(string method, string path, JsonElement operation)
        {
            await SetUpAsync();
            if (!operation.TryGetProperty("security", out _))
            {
                return null;
            }

            foreach (var role in new[] { "provider", "dfe", "tra" })
            {
                var response = await CreateClient().SendAsync(await BuildAsync(method, path, operation, role, new Hostile("baseline")));
                if (response.StatusCode is not (HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized))
                {
                    return role;
                }
            }

            throw new InvalidOperationException($"No role reaches {method.ToUpperInvariant()} {path}.");
        }

        /// <summary>The valid body: a batch of one baseline row, or the baseline.</summary>
        private static JsonNode BaselineBody(JsonElement schema) =>
            Contract.Resolve(schema).TryGetProperty("items", out var row) ? new JsonArray(Baseline(row)) : Baseline(schema);

        /// <summary>The valid body a case bends: the test builders' where one exists, else a sample from the schema.</summary>
        public static JsonObject Baseline(JsonElement schema) => Contract.SchemaName(schema) switch
        {
            "CreateTraineeRequest" => Fixtures.Trainee(),
            "CreateProviderRequest" => Fixtures.Provider(),
            "TraineePatch" => new JsonObject { ["lastName"] = "Patched" },
            "ProviderPatch" => new JsonObject { ["name"] = "Patched" },
            "DeferTraineeRequest" => new JsonObject { ["date"] = "2025-10-01", ["reason"] = "Illness" },
            "QualificationRequest" => Fixtures.Qualification("gcse_maths"),
            "SuitabilityChecks" => Fixtures.SuitabilityChecks(),
            "EligibilityCheckRequest" => Fixtures.Applicant(),
            "SchoolDetails" => Fixtures.School(),
            "SchoolPatch" => new JsonObject { ["city"] = "Abu Dhabi" },
            "PlacementDetails" => Fixtures.Placement(HostileSchool),
            "PlacementPatch" => new JsonObject { ["days"] = 55 },
            "PlacementPlan" => Fixtures.PlacementPlan(),
            "AssessmentRequest" => Fixtures.Assessment(),
            "AwardRequest" => new JsonObject { ["awardedOn"] = "2026-03-13" },
            "AwardBatchRow" => new JsonObject { ["traineeId"] = Guid.NewGuid().ToString(), ["awardedOn"] = "2026-03-13" },
            "ApprovalChangeRequest" => JsonNode.Parse("""{"approvalStatus":"concern_raised","step":"concern_raised","reason":"Late returns.","effectiveOn":"2026-03-02","remedy":"Submit them.","remedyBy":"2026-05-29"}""")!.AsObject(),
            "InspectorateDetails" => new JsonObject { ["name"] = $"Hostile {Guid.NewGuid():N}", ["approvedFrom"] = "2025-09-01", ["approvedTo"] = "2028-08-31" },
            "ModeratorDetails" => new JsonObject { ["kind"] = "internal", ["name"] = "Hostile Moderator", ["partner"] = "provider", ["role"] = "Lead" },
            "ModeratorPatch" => new JsonObject { ["role"] = "Patched" },
            "EvaluationRequest" => new JsonObject { ["source"] = "dfe", ["periodFrom"] = "2025-09-01", ["periodTo"] = "2026-01-31", ["findings"] = "F." },
            "GovernanceChangeRequest" => new JsonObject { ["kind"] = "other", ["effectiveOn"] = "2026-03-01", ["description"] = "A change." },
            "GovernanceChangeResponseRequest" => new JsonObject { ["response"] = "acknowledged", ["note"] = "Noted.", ["respondedOn"] = "2026-03-16" },
            "MonthlyReturnDetails" => JsonNode.Parse(Reports.ReportTests.ReturnBody(40, 12))!.AsObject(),
            "AcknowledgementRequest" => new JsonObject { ["trn"] = "3000001", ["qtsDate"] = "2026-03-13" },
            "WithdrawTraineeRequest" => JsonNode.Parse("""{"date":"2025-12-01","trigger":"trainee","reasons":["financial_problems"],"safeguardingConcern":false}""")!.AsObject(),
            _ => Contract.Sample(schema)?.AsObject() ?? [],
        };

        public async Task<HttpRequestMessage> BuildAsync(string method, string path, JsonElement operation, string? role, Hostile hostile)
        {
            var url = path;
            // A read changes nothing, so its operation reuses one set of targets; a write gets fresh ones every time.
            var values = method == "get"
                ? _readTargets.TryGetValue(path, out var known) ? known : _readTargets[path] = await PathValuesAsync(path, Cases.PathParameters(path).ToList())
                : await PathValuesAsync(path, Cases.PathParameters(path).ToList());
            foreach (var parameter in Cases.PathParameters(path))
            {
                var value = hostile.PathValues?.GetValueOrDefault(parameter) ?? values[parameter];
                url = url.Replace("{" + parameter + "}", value, StringComparison.Ordinal);
            }

            if (hostile.Query is not null)
            {
                url += "?" + hostile.Query;
            }

            var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), url);
            if (role is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + _tokens[role]);
            }

            var declared = Contract.RequestBody(operation);
            var bytes = hostile.Body ?? (declared is { } body ? Encoding.UTF8.GetBytes(BaselineBody(body.Schema).ToJsonString()) : null);
            if (bytes is not null)
            {
                request.Content = new ByteArrayContent(bytes);
                var contentType = hostile.ContentType ?? declared?.MediaType ?? "application/json";
                if (contentType.Length > 0)
                {
                    request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
                }
            }

            foreach (var (name, value) in hostile.Headers ?? new Dictionary<string, string>())
            {
                if (name == "Authorization")
                {
                    request.Headers.Remove("Authorization");
                }

                if (!request.Headers.TryAddWithoutValidation(name, value))
                {
                    request.Content ??= new ByteArrayContent([]);
                    request.Content.Headers.TryAddWithoutValidation(name, value);
                }
            }

            return request;
        }

        /// <summary>
        /// A valid value for each path parameter of an operation. A write gets a fresh trainee or provider of its own, so
        /// an earlier case's change of state does not hide a later case's rules; a sub-resource belongs to that trainee.
        /// A new parameter fails here until it has one.
        /// </summary>
        /// <summary>A batch of the path's kind: one trainee, or one award of a trainee that does not exist (a failed batch is a batch too).</summary>
        private async Task<string> BatchAsync(string path)
        {
            var awards = path.Contains("award-batches", StringComparison.Ordinal);
            JsonNode row = awards ? new JsonObject { ["traineeId"] = Guid.NewGuid().ToString(), ["awardedOn"] = "2026-03-13" } : Fixtures.Trainee();
            var client = ClientWith(_tokens["provider"]);
            var answer = await client.PostAsync($"/api/v1/{(awards ? "award-batches" : "trainee-batches")}", Requests.JsonBody(new JsonArray(row).ToJsonString()));
            return (await answer.ReadJsonAsync()).GetProperty("batchId").GetString()!;
        }

        private async Task<Dictionary<string, string>> PathValuesAsync(string path, IReadOnlyList<string> parameters)
        {
            var values = new Dictionary<string, string>();
            Guid? trainee = null;
            foreach (var parameter in parameters)
            {
                values[parameter] = parameter switch
                {
                    "traineeId" => (trainee = (await this.SeedTraineesAsync(_ukprn, 1))[0].TraineeId).ToString()!,
                    "qualificationId" => await this.AddQualificationAsync(_ukprn, trainee!.Value, Fixtures.Qualification("gcse_maths")),
                    "placementId" => await this.AddPlacementAsync(_ukprn, trainee!.Value, Fixtures.Placement(HostileSchool)),
                    "schoolId" => await this.CreateSchoolAsync(_ukprn),
                    "assessmentId" => await this.RecordAssessmentAsync(_ukprn, trainee!.Value, Fixtures.Assessment()),
                    "ukprn" => await this.CreateProviderAsync(),
                    "awardId" => (await this.AwardTraineeAsync(_ukprn, (await this.SeedTraineesAsync(_ukprn, 1))[0].TraineeId, Schools)).ToString(),
                    "set" => "countries",
                    "batchId" => await BatchAsync(path),
                    "month" => "2026-02",
                    "inspectorateId" => await this.CreateInspectorateAsync(),
                    "inspectionId" => (await this.BookInspectionAsync(await this.CreateProviderAsync(), "2026-spring")).InspectionId,
                    "governanceChangeId" => await this.NotifyGovernanceChangeAsync(values["ukprn"]),
                    "moderatorId" => await this.AddModeratorAsync(_ukprn),
                    "evaluationId" => await this.RecordEvaluationAsync(_ukprn),
                    "mentorId" => await this.AddMentorAsync(_ukprn, HostileSchool),
                    "meetingId" => await this.RecordMentorMeetingAsync(_ukprn, values["mentorId"]),
                    "moderationId" => (await this.ModerateAsync(_ukprn, HostileSchool, ((await this.SeedTraineesAsync(_ukprn, 1))[0].TraineeId, null))).ToString(),
                    "version" => "1",
                    // To an event no trainee write makes: else every case's trainee would queue a delivery to every earlier case's subscription.
                    "subscriptionId" => (await this.SubscriptionAsync(EventStreams.Provider(_ukprn), types: [EventTypes.ProviderApprovalChanged.Name])).ToString(),
                    "deliveryId" => await this.PingAsync(EventStreams.Provider(_ukprn), Guid.Parse(values["subscriptionId"])),
                    _ => throw new InvalidOperationException($"The hostile-input test has no value for the path parameter '{parameter}': add one to PathValuesAsync."),
                };
            }

            return values;
        }

        private string? _fingerprintSql;

        /// <summary>Rows and versions of every table but the replay store and the migrations, in one query: any write shows here.</summary>
        public async Task<string> FingerprintAsync()
        {
            await using var connection = await Db.OpenAsync(CancellationToken.None);
            _fingerprintSql ??= await FingerprintSqlAsync(connection);
            return await connection.QuerySingleAsync<string>(_fingerprintSql);
        }

        /// <summary>The tables are read once: the schema does not change while the test runs.</summary>
        private async Task<string> FingerprintSqlAsync(System.Data.Common.DbConnection connection)
        {
            var postgres = Db.Dialect.Name == "postgres";
            var tables = postgres
                ? await connection.QueryAsync<string>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name")
                : await connection.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
            var parts = new List<string>();
            foreach (var table in tables.Where(t => t is not ("idempotency_keys" or "schema_migrations")))
            {
                var columns = postgres
                    ? await connection.QueryAsync<string>("SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = @table", new { table })
                    : await connection.QueryAsync<string>($"SELECT name FROM pragma_table_info('{table}')");
                var versions = columns.Contains("row_version") ? "COALESCE(SUM(row_version), 0)" : "0";
                parts.Add($"(SELECT '{table}:' || COUNT(*) || '/' || {versions} FROM {table})");
            }

            return "SELECT " + string.Join(" || ' ' || ", parts);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && !Report.IsEmpty)
            {
                var file = ContractTests.RepoFile("TestResults", $"hostile-input-{Database.Provider}.txt");
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                File.WriteAllLines(file, Report.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Value,5} cases  {r.Key}")
                    .Append($"{Report.Values.Sum(),5} cases in all, {Report.Count} operations, engine {Database.Provider}"));
            }

            base.Dispose(disposing);
        }
    }
}
