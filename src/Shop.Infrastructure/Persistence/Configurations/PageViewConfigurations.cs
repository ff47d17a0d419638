using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shop.Domain.PageViews;
using Shop.Domain.Products;

namespace Shop.Infrastructure.Persistence.Configurations;

internal sealed class ProductViewTotalConfiguration : IEntityTypeConfiguration<ProductViewTotal>
{
    public void Configure(EntityTypeBuilder<ProductViewTotal> builder)
    {
        builder.HasKey(t => t.ProductId);
        builder.Property(t => t.ProductId).ValueGeneratedNever();
        builder.HasOne<Product>().WithOne().HasForeignKey<ProductViewTotal>(t => t.ProductId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AppliedViewBatchConfiguration : IEntityTypeConfiguration<AppliedViewBatch>
{
    public void Configure(EntityTypeBuilder<AppliedViewBatch> builder)
    {
        builder.HasKey(b => b.BatchId);
        builder.Property(b => b.BatchId).ValueGeneratedNever();
        // The flusher prunes ids past their retention by age.
        builder.HasIndex(b => b.AppliedAt);
    }
}
