using System.Buffers;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Shop.Application.Categories.ListCategoryProducts;
using Shop.Application.Common;
using Shop.Application.Products;
using Shop.Application.Users;
using Shop.Infrastructure.Caching.Serialization;

namespace Shop.Benchmarks;

/// <summary>
/// Shop's three cache serializers (Cache:Serializer) on the shapes it caches: ns/op and allocations from
/// BenchmarkDotNet, payload bytes in the "Bytes" column. Serialize writes into a reused buffer (as CacheEnvelope does);
/// Deserialize reads the bytes Redis would hold. "UserOverview" is what Shop stores for it: the profile and the
/// preferences, two entries.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(BytesColumnConfig))]
public class SerializerBenchmarks
{
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private ICacheSerializer _serializer = null!;
    private byte[][] _encoded = null!;

    [Params("Json", "MessagePack", "MessagePackLz4")]
    public string Serializer { get; set; } = "Json";

    [Params("ProductPage", "Listing20", "UserOverview")]
    public string Payload { get; set; } = "ProductPage";

    [GlobalSetup]
    public void Setup()
    {
        _serializer = Create(Serializer);
        _encoded = Encode(_serializer, Payload);
    }

    [Benchmark]
    public int Serialize()
    {
        _buffer.ResetWrittenCount();
        switch (Payload)
        {
            case "ProductPage": _serializer.Serialize(_buffer, Payloads.Product); break;
            case "Listing20": _serializer.Serialize(_buffer, Payloads.Listing20); break;
            default:
                _serializer.Serialize(_buffer, Payloads.Profile);
                _serializer.Serialize(_buffer, Payloads.Preferences);
                break;
        }
        return _buffer.WrittenCount;
    }

    [Benchmark]
    public object Deserialize() => Payload switch
    {
        "ProductPage" => _serializer.Deserialize<ProductPageDto>(_encoded[0]),
        "Listing20" => _serializer.Deserialize<PagedList<ProductSummaryDto>>(_encoded[0]),
        _ => (_serializer.Deserialize<UserProfileDto>(_encoded[0]), _serializer.Deserialize<UserPreferencesDto>(_encoded[1])),
    };

    public static ICacheSerializer Create(string name) => name switch
    {
        "Json" => new JsonCacheSerializer(),
        "MessagePack" => new MessagePackCacheSerializer(),
        "MessagePackLz4" => new MessagePackCacheSerializer(lz4: true),
        _ => throw new ArgumentException($"Unknown serializer {name}", nameof(name)),
    };

    /// <summary>The payload's serialized bytes (one array per cache entry).</summary>
    public static byte[][] Encode(ICacheSerializer serializer, string payload)
    {
        byte[] One<T>(T value)
        {
            var buffer = new ArrayBufferWriter<byte>();
            serializer.Serialize(buffer, value);
            return buffer.WrittenSpan.ToArray();
        }
        return payload switch
        {
            "ProductPage" => [One(Payloads.Product)],
            "Listing20" => [One(Payloads.Listing20)],
            "UserOverview" => [One(Payloads.Profile), One(Payloads.Preferences)],
            _ => throw new ArgumentException($"Unknown payload {payload}", nameof(payload)),
        };
    }

    private sealed class BytesColumnConfig : BenchmarkDotNet.Configs.ManualConfig
    {
        public BytesColumnConfig() => AddColumn(new BytesColumn());
    }

    private static bool HasPayload(BenchmarkCase c) =>
        c.Parameters.Items.Any(p => p.Name == "Serializer") && c.Parameters.Items.Any(p => p.Name == "Payload");

    /// <summary>The serialized size of the case's payload with the case's serializer (sum of its entries).</summary>
    private sealed class BytesColumn : IColumn
    {
        public string Id => nameof(BytesColumn);
        public string ColumnName => "Bytes";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Size;
        public string Legend => "Serialized payload size in bytes (without Shop's 20-byte envelope header)";
        public bool IsAvailable(Summary summary) => summary.BenchmarksCases.Any(HasPayload);
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            if (!HasPayload(benchmarkCase)) return "-";
            var serializer = (string)benchmarkCase.Parameters["Serializer"];
            var payload = (string)benchmarkCase.Parameters["Payload"];
            return Encode(Create(serializer), payload).Sum(b => b.Length).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
