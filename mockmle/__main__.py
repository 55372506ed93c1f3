from mockmle.cli import run

run()
