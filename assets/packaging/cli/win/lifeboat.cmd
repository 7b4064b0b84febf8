@echo off
rem The `lifeboat` command of the Windows app: <install dir>\resources\bin\lifeboat.cmd.
rem The app binary runs the CLI itself (it may not run as Node).
"%~dp0..\..\Lifeboat.exe" --lifeboat-cli %*
