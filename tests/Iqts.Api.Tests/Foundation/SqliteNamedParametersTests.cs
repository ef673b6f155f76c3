using Dapper;
using Iqts.Api.Data;
using Microsoft.Data.Sqlite;

namespace Iqts.Api.Tests.Foundation;

/// <summary>
/// SQLite commands carry their parameters named as written (<c>@name</c>), so Microsoft.Data.Sqlite finds each with one
/// lookup instead of four; what Dapper does to them (type handlers, list expansion, unused ones left out) is unchanged.
/// </summary>
public sealed class SqliteNamedParametersTests
{
    public SqliteNamedParametersTests() => TypeHandlers.Register();

    [Fact]
    public async Task A_parameter_named_with_a_prefix_of_its_own_keeps_it()
    {
        await using var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();
        var parameters = new DynamicParameters();
        parameters.Add("ukprn", "10000001");
        parameters.Add("$stream", ":trainees");

        Assert.Equal("10000001:trainees", await connection.QuerySingleAsync<string>(new CommandDefinition("SELECT @ukprn || $stream", SqliteNamedParameters.Of(parameters))));
    }

    [Fact]
    public async Task Dapper_still_converts_expands_lists_and_leaves_out_what_the_statement_does_not_name()
    {
        await using var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();
        var id = Guid.Parse("0192f0c4-5a1b-7c2d-8e3f-405162738495");

        var text = await connection.QuerySingleAsync<string>(new CommandDefinition(
            "SELECT @id || ' ' || @on || ' ' || (SELECT COUNT(*) FROM (SELECT 1 AS n UNION ALL SELECT 2 UNION ALL SELECT 3) WHERE n IN @ns)",
            new SqliteNamedParameters(new { id, on = new DateOnly(2026, 12, 5), ns = new List<int> { 1, 3 }, unused = "left out" })));

        // The Guid and the date as the type handlers store them on SQLite; the list expanded into IN (@ns1, @ns2).
        Assert.Equal("0192f0c4-5a1b-7c2d-8e3f-405162738495 2026-12-05 2", text);
    }

    [Fact]
    public async Task A_list_of_rows_still_runs_the_statement_once_a_row()
    {
        await using var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();
        await connection.ExecuteAsync("CREATE TABLE t (id TEXT NOT NULL, n INTEGER NOT NULL)");

        var written = await connection.ExecuteAsync(new CommandDefinition("INSERT INTO t (id, n) VALUES (@Id, @N)",
            SqliteNamedParameters.Of(new[] { new { Id = Guid.Empty, N = 1 }, new { Id = Guid.Empty, N = 2 } })));

        Assert.Equal(2, written);
        Assert.Equal(3, await connection.QuerySingleAsync<int>("SELECT SUM(n) FROM t WHERE id = '00000000-0000-0000-0000-000000000000'"));
    }
}
