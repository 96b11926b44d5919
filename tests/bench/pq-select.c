/*
 * The baseline for the dc-list benchmark: the least a program can do to
 * answer "list the data centers" — start, connect over the same socket, run
 * one SELECT, print the rows, exit.
 */
#include <libpq-fe.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	PGconn *c = PQconnectdb(argc > 1 ? argv[1] : "");
	PGresult *r;

	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "%s", PQerrorMessage(c));
		return 1;
	}
	r = PQexec(c, "SELECT d.name, d.status, d.storage_type, d.compat_version,"
		      " (SELECT count(*) FROM clusters c WHERE c.dc_id = d.id), d.description"
		      " FROM data_centers d ORDER BY d.name");
	for (int i = 0; i < PQntuples(r); i++)
		printf("%s\t%s\t%s\t%s\t%s\t%s\n", PQgetvalue(r, i, 0), PQgetvalue(r, i, 1), PQgetvalue(r, i, 2),
		       PQgetvalue(r, i, 3), PQgetvalue(r, i, 4), PQgetvalue(r, i, 5));
	PQclear(r);
	PQfinish(c);
	return 0;
}
