using System.Reflection;
using System.Text.Json;

namespace Iqts.Api.Data;

/// <summary>
/// The column list of a table, read from the row type that maps it (Dapper matches <c>first_names</c> to
/// <c>FirstNames</c> with <c>MatchNamesWithUnderscores</c>), so a column is named once: in its row type.
/// Statements stay written out in each repository; only their column lists come from here.
/// </summary>
public sealed class SqlColumns
{
    private readonly string[] _names;

    private string? _insertValues;

    private SqlColumns(string[] names) => _names = names;

    public static SqlColumns Of<TRow>() => new(typeof(TRow).GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanWrite)
        .Select(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name))
        .ToArray());

    /// <summary><c>a, b, c</c> for a SELECT; prefixed (<c>t.a, t.b</c>) when <paramref name="alias"/> is given.</summary>
    public string Select(string? alias = null) => string.Join(", ", alias is null ? _names : _names.Select(n => $"{alias}.{n}"));

    /// <summary>
    /// <c>(a, b) VALUES (@A, @B)</c>, the parameters named as the row's properties. Built once: every insert asks for it,
    /// a batch of registrations thousands of times a second.
    /// </summary>
    public string InsertValues() => _insertValues ??= $"({string.Join(", ", _names)}) VALUES ({string.Join(", ", _names.Select(Parameter))})";

    /// <summary><c>a = @A, b = @B</c> for every column but the ones that never change.</summary>
    public string SetAllBut(params string[] unchanged) =>
        string.Join(", ", _names.Where(n => !unchanged.Contains(n)).Select(n => $"{n} = {Parameter(n)}"));

    private static string Parameter(string column) =>
        "@" + string.Concat(column.Split('_').Select(part => char.ToUpperInvariant(part[0]) + part[1..]));
}
