using System.Data;
using Dapper;

namespace Iqts.Api.Data;

/// <summary>
/// A statement's parameters as Dapper makes them (its type handlers, list expansion, unused ones left out), renamed
/// <c>@name</c> for SQLite. Dapper names them without the prefix, and Microsoft.Data.Sqlite then looks each one up four
/// times (as written, then with each of <c>:</c>, <c>@</c> and <c>$</c>, to refuse an ambiguous name), each lookup a
/// string made and a scan of the statement's parameters: a quarter of a batch's time on SQLite (README, Batches). With
/// the prefix the first lookup finds it.
/// </summary>
public sealed class SqliteNamedParameters(object parameters) : SqlMapper.IDynamicParameters
{
    /// <summary>
    /// <paramref name="parameters"/> named so; a list of rows (Dapper runs the statement once a row) each row so.
    /// </summary>
    public static object? Of(object? parameters) => parameters switch
    {
        null or SqliteNamedParameters => parameters,
        System.Collections.IEnumerable rows and not (string or IEnumerable<KeyValuePair<string, object?>> or SqlMapper.IDynamicParameters) =>
            rows.Cast<object>().Select(row => new SqliteNamedParameters(row)),
        _ => new SqliteNamedParameters(parameters),
    };

    public void AddParameters(IDbCommand command, SqlMapper.Identity identity)
    {
        SqlMapper.IDynamicParameters inner = parameters as SqlMapper.IDynamicParameters ?? new DynamicParameters(parameters);
        inner.AddParameters(command, identity);
        foreach (IDataParameter parameter in command.Parameters)
        {
            if (parameter.ParameterName is [not ('@' or ':' or '$'), ..] name)
            {
                parameter.ParameterName = "@" + name;
            }
        }
    }
}
