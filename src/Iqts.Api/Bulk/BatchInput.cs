using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using CsvHelper;
using Iqts.Api.Trainees;

namespace Iqts.Api.Bulk;

/// <summary>
/// The rows of a batch as they arrive, one JSON document each, never the whole body in memory: a JSON array's elements,
/// or a CSV's lines (one trainee a line, the header naming the columns). A whole-body problem (not an array, a wrong
/// header, not UTF-8) ends the rows with its error; a cell's problem stays with its row and is reported with the rest.
/// </summary>
public static class BatchInput
{
    /// <summary>Characters a spreadsheet reads as the start of a formula (OWASP's CSV injection list).</summary>
    private static readonly char[] FormulaStarts = ['=', '+', '-', '@', '\t', '\r'];

    /// <summary>A list column holds its values separated by this (subjects: <c>100403;100425</c>).</summary>
    public const char ListSeparator = ';';

    /// <summary>The columns of a trainee's CSV: the registration's own fields, by their JSON names, in the contract's order.</summary>
    public static IReadOnlyList<CsvColumn> TraineeColumns { get; } = Json.Options.GetTypeInfo(typeof(TraineeRegistration)).Properties
        .OrderBy(p => p.Order)
        .Select(p => new CsvColumn(p.Name, KindOf(p.PropertyType), IsRequired(p)))
        .ToList();

    /// <summary>The template a provider fills in: the header line.</summary>
    public static string TraineeTemplate => string.Join(',', TraineeColumns.Select(c => c.Name)) + "\r\n";

    /// <summary>The rows of the request's body by its media type: JSON, or (where <paramref name="csv"/>) UTF-8 CSV; 415 otherwise.</summary>
    public static Outcome<IAsyncEnumerable<Outcome<StagedRow>>> For(HttpRequest request, bool csv)
    {
        var type = Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) ? parsed : null;
        var mediaType = type?.MediaType.Value?.ToLowerInvariant();
        var ct = request.HttpContext.RequestAborted;
        if (mediaType == "application/json")
        {
            return Outcome.Of(JsonRowsAsync(request.Body, ct));
        }

        if (mediaType != "text/csv" || !csv)
        {
            return ApiErrors.UnsupportedMediaType(csv ? "application/json or text/csv" : "application/json");
        }

        return type!.Charset.Value is null or { Length: 0 } || string.Equals(type.Charset.Value, "utf-8", StringComparison.OrdinalIgnoreCase)
            ? Outcome.Of(TraineeCsvRowsAsync(request.Body, ct))
            : ApiErrors.CsvEncoding();
    }

    public static async IAsyncEnumerable<Outcome<StagedRow>> JsonRowsAsync(Stream body, [EnumeratorCancellation] CancellationToken ct)
    {
        var elements = JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(body, Json.Options, ct).GetAsyncEnumerator(ct);
        var position = 0;
        while (true)
        {
            Outcome<StagedRow> next;
            try
            {
                if (!await elements.MoveNextAsync())
                {
                    break;
                }

                next = new StagedRow(++position, elements.Current.GetRawText(), null);
            }
            catch (JsonException)
            {
                next = ApiErrors.Validation("$", "must be a JSON array with one object a row.");
            }

            yield return next;
            if (next.Failed)
            {
                yield break;
            }
        }
    }

    public static async IAsyncEnumerable<Outcome<StagedRow>> TraineeCsvRowsAsync(Stream body, [EnumeratorCancellation] CancellationToken ct)
    {
        // Strict UTF-8: a byte that is not UTF-8 ends the file with batch.csv_encoding; the BOM, if any, is skipped.
        using var text = new StreamReader(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: false);
        await using var csv = CsvReader.Create(text, new CsvReaderOptions
        {
            HasHeader = false,
            MalformedData = CsvMalformedDataHandling.Throw,
            MissingField = CsvMissingFieldHandling.ReturnEmpty,
            MaxRecordSize = 1024 * 1024,
        }, leaveOpen: true);
        CsvColumn[]? columns = null;
        var position = 0;
        while (true)
        {
            Outcome<StagedRow> next;
            try
            {
                if (!await csv.ReadAsync(ct))
                {
                    if (columns is not null)
                    {
                        yield break;
                    }

                    next = ApiErrors.CsvHeader("The CSV is empty: its first line must be the header.");
                }
                else if (columns is null)
                {
                    var header = Header(Cells(csv));
                    if (!header.Failed)
                    {
                        columns = header.Value;
                        continue;
                    }

                    next = header.Error;
                }
                else
                {
                    next = Row(++position, columns, Cells(csv));
                }
            }
            catch (DecoderFallbackException)
            {
                next = ApiErrors.CsvEncoding();
            }
            catch (CsvFormatException ex)
            {
                next = ApiErrors.CsvMalformed(position + 2, ex.Message);
            }

            yield return next;
            if (next.Failed)
            {
                yield break;
            }
        }
    }

    private static string[] Cells(CsvReader csv)
    {
        var cells = new string[csv.FieldCount];
        for (var i = 0; i < cells.Length; i++)
        {
            cells[i] = csv.GetString(i);
        }

        return cells;
    }

    private static Outcome<CsvColumn[]> Header(string[] names)
    {
        var byName = TraineeColumns.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var unknown = names.Where(n => !byName.ContainsKey(n)).ToList();
        var repeated = names.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        var missing = TraineeColumns.Where(c => c.Required && !names.Contains(c.Name, StringComparer.Ordinal)).Select(c => c.Name).ToList();
        if (unknown.Count + repeated.Count + missing.Count == 0)
        {
            return names.Select(n => byName[n]).ToArray();
        }

        var problems = new List<string>();
        if (unknown.Count > 0)
        {
            problems.Add($"unknown column(s) {string.Join(", ", unknown.Select(n => $"'{ValidationErrors.Truncate(n)}'"))}");
        }

        if (repeated.Count > 0)
        {
            problems.Add($"repeated column(s) {string.Join(", ", repeated)}");
        }

        if (missing.Count > 0)
        {
            problems.Add($"missing required column(s) {string.Join(", ", missing)}");
        }

        return ApiErrors.CsvHeader($"The header has {string.Join("; ", problems)}. See GET /api/v1/trainee-batches/template.csv.");
    }

    /// <summary>One line as the JSON a registration binds: an empty cell is absent, a number a number, a list split on ';'.</summary>
    private static StagedRow Row(int position, CsvColumn[] columns, string[] cells)
    {
        var row = new JsonObject();
        var errors = new List<BatchRowError>();
        if (cells.Length != columns.Length)
        {
            errors.AddRange(RunBatch.RowErrors(position, ApiErrors.Validation("$", $"has {cells.Length} cells; the header has {columns.Length}.")));
        }

        foreach (var (column, cell) in columns.Zip(cells))
        {
            if (cell.Length == 0)
            {
                continue;
            }

            if (TextRule.Problem(cell) is { } problem)
            {
                errors.AddRange(RunBatch.RowErrors(position, ApiErrors.InvalidText(column.Name, problem)));
                continue;
            }

            if (column.Kind != CsvCellKind.Number && FormulaStarts.Contains(cell[0]))
            {
                errors.Add(new BatchRowError(position, column.Name, ApiErrors.FormulaTextCode,
                    "must not start with =, +, -, @, a tab or a carriage return: a spreadsheet would run it as a formula."));
                continue;
            }

            row[column.Name] = column.Kind switch
            {
                CsvCellKind.Number when int.TryParse(cell, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) => number,
                CsvCellKind.List => new JsonArray(cell.Split(ListSeparator).Select(v => (JsonNode?)v.Trim()).ToArray()),
                _ => cell,
            };
        }

        return new StagedRow(position, row.ToJsonString(), errors.Count == 0 ? null : errors);
    }

    private static CsvCellKind KindOf(Type type) =>
        (Nullable.GetUnderlyingType(type) ?? type) switch
        {
            var t when t == typeof(int) => CsvCellKind.Number,
            var t when t != typeof(string) && typeof(System.Collections.IEnumerable).IsAssignableFrom(t) => CsvCellKind.List,
            _ => CsvCellKind.Text,
        };

    /// <summary>Required as the contract says: [Required], or a string or list that is not nullable.</summary>
    private static bool IsRequired(JsonPropertyInfo property) =>
        property.AttributeProvider is PropertyInfo info
        && (info.IsDefined(typeof(System.ComponentModel.DataAnnotations.RequiredAttribute), true)
            || (!info.PropertyType.IsValueType && new NullabilityInfoContext().Create(info).ReadState == NullabilityState.NotNull));
}

public enum CsvCellKind
{
    Text,
    Number,
    List,
}

/// <summary>A column of a batch's CSV: its name (the field's JSON name), how a cell is read, and whether the header must have it.</summary>
public sealed record CsvColumn(string Name, CsvCellKind Kind, bool Required);
