package vtl

// For the benchmarks of package vtl_test.
var (
	ReferenceMissing   = referenceMissing
	ReferenceClasspath = referenceClasspath
)
