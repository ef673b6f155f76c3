using Dapper;
using Iqts.Api.Audit;
using Iqts.Api.Data;
using Iqts.Api.Tests.Infrastructure;
using Iqts.Api.Trainees;

namespace Iqts.Api.Tests.Foundation;

/// <summary>
/// Writes a unit of work holds back to one round trip (history entries, outbox messages, status log rows): stored at
/// commit in the order made, never when the unit is not committed, and not when made inside a savepoint rolled back to;
/// on PostgreSQL, a round trip of them is sent ahead while the unit goes on, and the unit's next statement waits for it.
/// </summary>
public sealed class HeldBackWriteTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static readonly Actor Tester = new(Guid.Empty, "test");

    [Fact]
    public async Task Held_back_writes_are_stored_at_commit_in_order_and_never_without_it_or_from_a_savepoint_rolled_back()
    {
        var ukprn = await api.CreateProviderAsync();
        var client = await api.ClientForAsync("provider", ukprn);
        var traineeId = Guid.Parse((await client.CreateTraineeAsync()).Id());
        var changes = api.Operation<TraineeChanges>();
        var ct = CancellationToken.None;
        var stored = await HistoryAsync(ukprn);

        // Three corrections in one unit: their history is all stored at commit, in order.
        await using (var work = await UnitOfWork.BeginWriteAsync(api.Db, ct))
        {
            foreach (var name in new[] { "Aa", "Bb", "Cc" })
            {
                await RenameAsync(changes, work, ukprn, traineeId, name);
            }

            Assert.Null(await work.CommitAsync(ct));
        }

        var committed = await HistoryAsync(ukprn);
        Assert.Equal([.. stored, "Aa", "Bb", "Cc"], committed);

        // Not committed: nothing.
        await using (var work = await UnitOfWork.BeginWriteAsync(api.Db, ct))
        {
            await RenameAsync(changes, work, ukprn, traineeId, "Dd");
        }

        Assert.Equal(committed, await HistoryAsync(ukprn));

        // A savepoint rolled back drops what its step held back; what came before it and after it is kept.
        await using (var work = await UnitOfWork.BeginWriteAsync(api.Db, ct))
        {
            await RenameAsync(changes, work, ukprn, traineeId, "Ee");
            await work.InSavepointAsync(() => RenameAsync(changes, work, ukprn, traineeId, "Ff"), _ => false, ct);
            await work.InSavepointAsync(() => RenameAsync(changes, work, ukprn, traineeId, "Gg"), _ => true, ct);
            await RenameAsync(changes, work, ukprn, traineeId, "Hh");
            Assert.Null(await work.CommitAsync(ct));
        }

        Assert.Equal([.. committed, "Ee", "Gg", "Hh"], await HistoryAsync(ukprn));
    }

    [Fact]
    public async Task Writes_sent_ahead_of_the_unit_keep_their_order_leave_nothing_of_a_savepoint_rolled_back_and_fail_the_unit_with_their_error()
    {
        var ukprn = await api.CreateProviderAsync();
        var client = await api.ClientForAsync("provider", ukprn);
        var traineeId = Guid.Parse((await client.CreateTraineeAsync()).Id());
        var changes = api.Operation<TraineeChanges>();
        var ct = CancellationToken.None;
        var stored = await HistoryAsync(ukprn);
        // Enough held writes for several round trips sent ahead, each rename reading and writing the trainee in between.
        var names = Enumerable.Range(0, 150).Select(i => $"N{(char)('a' + (i % 26))}{(char)('a' + (i / 26))}").ToList();

        await using (var work = await UnitOfWork.BeginWriteAsync(api.Db, ct))
        {
            foreach (var name in names[..100])
            {
                await RenameAsync(changes, work, ukprn, traineeId, name);
            }

            // A step that holds more than a round trip's worth, sent ahead inside the savepoint, then undone.
            await work.InSavepointAsync(async () =>
            {
                foreach (var name in names[100..])
                {
                    await RenameAsync(changes, work, ukprn, traineeId, name);
                }

                return true;
            }, _ => false, ct);
            // A step that ends on a round trip sent ahead (a savepoint starts with nothing held), then undone.
            await work.InSavepointAsync(async () =>
            {
                for (var i = 0; i < 64; i++)
                {
                    await work.WriteLaterAsync("UPDATE trainees SET last_name = @name WHERE id = @id", new { name = "Undone", id = traineeId }, ct);
                }

                return true;
            }, _ => false, ct);
            await RenameAsync(changes, work, ukprn, traineeId, "Last");
            Assert.Null(await work.CommitAsync(ct));
        }

        var committed = await HistoryAsync(ukprn);
        Assert.Equal([.. stored, .. names[..100], "Last"], committed);
        Assert.Equal("Last", (await (await client.GetAsync($"/api/v1/trainees/{traineeId}")).ReadJsonAsync()).GetProperty("lastName").GetString());

        // A write the database refuses, sent ahead with others: the unit fails with its error, at the latest at commit, and keeps nothing.
        var thrown = await Record.ExceptionAsync(async () =>
        {
            await using var work = await UnitOfWork.BeginWriteAsync(api.Db, ct);
            await RenameAsync(changes, work, ukprn, traineeId, "Before");
            await work.WriteLaterAsync("INSERT INTO no_such_table (id) VALUES (@id)", new { id = 1 }, ct);
            foreach (var name in names[..100])
            {
                await RenameAsync(changes, work, ukprn, traineeId, name);
            }

            await work.CommitAsync(ct);
        });
        Assert.IsAssignableFrom<System.Data.Common.DbException>(thrown);
        Assert.Equal(committed, await HistoryAsync(ukprn));
    }

    private static async Task<bool> RenameAsync(TraineeChanges changes, UnitOfWork work, string ukprn, Guid traineeId, string lastName)
    {
        var begun = await changes.BeginAsync(work, ukprn, traineeId, null, CancellationToken.None);
        await changes.SaveAsync(begun.Value, begun.Value.Current with { LastName = lastName }, Tester, AuditActions.Updated, [], CancellationToken.None);
        return true;
    }

    /// <summary>The last name each of the provider's history entries set (the registration's included), in history order.</summary>
    private async Task<List<string>> HistoryAsync(string ukprn)
    {
        await using var connection = await api.Db.OpenAsync(CancellationToken.None);
        var entries = await connection.QueryAsync<string>("SELECT changes FROM trainee_history WHERE ukprn = @ukprn ORDER BY change_seq, id", new { ukprn });
        return entries.Select(c => System.Text.Json.Nodes.JsonNode.Parse(c)!.AsArray()
            .Where(f => f!["field"]!.GetValue<string>() == "lastName").Select(f => f!["after"]!.GetValue<string>().Trim('"')).SingleOrDefault() ?? "(other)").ToList();
    }
}
