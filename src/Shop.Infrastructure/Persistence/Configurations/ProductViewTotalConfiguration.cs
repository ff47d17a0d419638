using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shop.Domain.PageViews;
using Shop.Domain.Products;

namespace Shop.Infrastructure.Persistence.Configurations;

internal sealed class ProductViewTotalConfiguration : IEntityTypeConfiguration<ProductViewTotal>
{
    public void Configure(EntityTypeBuilder<ProductViewTotal> builder)
    {
        builder.ToTable("product_view_totals");
        builder.HasKey(t => t.ProductId);
        builder.Property(t => t.ProductId).ValueGeneratedNever();
        builder.HasOne<Product>().WithOne().HasForeignKey<ProductViewTotal>(t => t.ProductId).OnDelete(DeleteBehavior.Cascade);
    }
}
