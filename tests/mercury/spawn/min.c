/* min.c: the smallest Mercury program, spawned and reaped by the spawn
 * tests' leak check and by the spawn_exit benchmark. */
int main(int argc, char **argv, char **envp);
int main(int argc, char **argv, char **envp)
{
	(void)argc;
	(void)argv;
	(void)envp;
	return 0;
}
