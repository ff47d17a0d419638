namespace Shop.IntegrationTests.Fuzz;

/// <summary>
/// One hostile request. <see cref="MustReject"/>: the contract forbids this input (a negative id, a string where an
/// integer is required, a missing token on a protected operation...), so any 2xx answer is a violation.
/// </summary>
public sealed record FuzzCase(string Method, string Url, string? ContentType, byte[]? Body, string? Token, string Mutation, bool MustReject)
{
    public override string ToString()
    {
        var body = Body is null ? "" : System.Text.Encoding.UTF8.GetString(Body);
        if (body.Length > 160) body = body[..160] + $"... ({Body!.Length} bytes)";
        return $"{Method} {(Url.Length > 200 ? Url[..200] + "..." : Url)} [{Mutation}] content-type={ContentType ?? "(none)"} body={body}";
    }
}
