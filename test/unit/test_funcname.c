/* Function breakpoint names as users type them vs. DWARF names. */
#include "gd_test.h"
#include "../../goruntime/grt.h"

static void test_exact_and_suffix(void)
{
	CHECK(grt_func_name_matches("main.worker", "main.worker"));
	CHECK(grt_func_name_matches("worker", "main.worker"));
	CHECK(grt_func_name_matches("net/http.Get", "net/http.Get"));
	CHECK(grt_func_name_matches("http.Get", "net/http.Get"));
	CHECK(!grt_func_name_matches("ttp.Get", "net/http.Get"));
	CHECK(!grt_func_name_matches("orker", "main.worker"));
	CHECK(!grt_func_name_matches("main.work", "main.worker"));
	CHECK(!grt_func_name_matches("", "main.worker"));
}

static void test_methods(void)
{
	CHECK(grt_func_name_matches("(*T).Inc", "main.(*T).Inc"));
	CHECK(grt_func_name_matches("main.(*T).Inc", "main.(*T).Inc"));
	CHECK(grt_func_name_matches("T.Get", "main.T.Get"));
	/* T.Method also names a pointer-receiver method. */
	CHECK(grt_func_name_matches("T.Inc", "main.(*T).Inc"));
	CHECK(grt_func_name_matches("main.T.Inc", "main.(*T).Inc"));
	CHECK(!grt_func_name_matches("(*T).Get", "main.T.Get"));
	CHECK(!grt_func_name_matches("U.Inc", "main.(*T).Inc"));
	CHECK(grt_func_name_matches("(*Server).handle", "net/http.(*Server).handle"));
}

static void test_generics(void)
{
	CHECK(grt_func_name_matches("main.Sum", "main.Sum[go.shape.int]"));
	CHECK(grt_func_name_matches("Sum", "main.Sum[go.shape.float64]"));
	CHECK(grt_func_name_matches("main.Box.Get", "main.Box[go.shape.string].Get"));
	CHECK(grt_func_name_matches("(*Box).Put", "main.(*Box[go.shape.string]).Put"));
	CHECK(!grt_func_name_matches("main.Su", "main.Sum[go.shape.int]"));
}

int main(void)
{
	test_exact_and_suffix();
	test_methods();
	test_generics();
	return GD_TEST_SUMMARY();
}
