// hello: the program scripts/demo.sh debugs.  greet is called in a loop;
// the demo puts a breakpoint on the line marked "demo breakpoint".
package main

import "fmt"

func greet(name string, n int) string {
	msg := fmt.Sprintf("hello, %s #%d", name, n) // demo breakpoint
	return msg
}

func main() {
	names := []string{"gopher", "world", "godap"}
	for i, name := range names {
		fmt.Println(greet(name, i+1))
	}
	fmt.Println("bye")
}
