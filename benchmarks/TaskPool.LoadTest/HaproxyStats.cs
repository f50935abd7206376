using System.Globalization;

namespace TaskPool.LoadTest;

/// <summary>Reads HAProxy's stats CSV (<c>/stats;csv</c>) for one backend, keyed by server name (and <c>BACKEND</c> for the backend's totals).</summary>
internal static class HaproxyStats
{
    public static async Task<IReadOnlyDictionary<string, HaproxyServerCounters>> FetchAsync(HttpClient client, Uri statsCsv, string backend)
    {
        string csv = await client.GetStringAsync(statsCsv);
        string[] lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string[] header = lines[0].TrimStart('#', ' ').Split(',');
        int Column(string name) => Array.IndexOf(header, name) is int index and >= 0 ? index : throw new FormatException($"No column {name} in HAProxy's stats.");
        int pxname = Column("pxname"), svname = Column("svname"), status = Column("status"), hrsp2xx = Column("hrsp_2xx"), hrsp5xx = Column("hrsp_5xx");
        int econ = Column("econ"), eresp = Column("eresp"), chkdown = Column("chkdown");

        var rows = new Dictionary<string, HaproxyServerCounters>(StringComparer.Ordinal);
        foreach (string line in lines.Skip(1))
        {
            string[] fields = line.Split(',');
            if (fields.Length < header.Length - 1 || fields[pxname] != backend)
            {
                continue;
            }

            rows[fields[svname]] = new HaproxyServerCounters(
                fields[status], Count(fields[hrsp2xx]), Count(fields[hrsp5xx]), Count(fields[econ]), Count(fields[eresp]), Count(fields[chkdown]));
        }

        return rows;
    }

    private static long Count(string field) => long.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out long value) ? value : 0;
}
